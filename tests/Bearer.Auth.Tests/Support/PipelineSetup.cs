using Microsoft.Extensions.DependencyInjection;

namespace Bearer.Auth.Tests.Support;

/// <summary>What a <see cref="PipelineHost"/> is built from.</summary>
internal sealed record PipelineSetup
{
    /// <summary>Gets the code configuration passed to <c>services.AddBearerJwt</c>; ignored when <see cref="Authentication"/> is set.</summary>
    public Action<BearerJwtOptions>? Options { get; init; } = PipelineHost.UseDefaults;

    /// <summary>Gets the in-memory configuration (keys like <c>Authentication:Schemes:Bearer:ValidIssuer</c>).</summary>
    public IReadOnlyDictionary<string, string?>? Configuration { get; init; }

    /// <summary>Gets extra service registrations, applied after authentication is added.</summary>
    public Action<IServiceCollection>? Services { get; init; }

    /// <summary>Gets endpoints a test maps beside the host's own (for policies only that test needs).</summary>
    public Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder>? Endpoints { get; init; }

    /// <summary>Gets a replacement for the default <c>services.AddBearerJwt(Options)</c> registration.</summary>
    public Action<IServiceCollection>? Authentication { get; init; }
}
