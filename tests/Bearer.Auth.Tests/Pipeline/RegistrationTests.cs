using System.Net;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>How the extensions register the handler and compose with other schemes.</summary>
public sealed class RegistrationTests
{
    private const string OtherIssuer = "https://other-issuer.test";
    private static readonly byte[] OtherKey = System.Security.Cryptography.SHA256.HashData("other scheme key"u8);

    [Fact]
    public async Task AddBearerJwt_on_services_makes_Bearer_the_default_scheme()
    {
        await using var host = await PipelineHost.StartAsync();

        var schemes = host.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        var authenticate = await schemes.GetDefaultAuthenticateSchemeAsync();
        var challenge = await schemes.GetDefaultChallengeSchemeAsync();
        var forbid = await schemes.GetDefaultForbidSchemeAsync();

        Assert.Equal("Bearer", authenticate?.Name);
        Assert.Equal("Bearer", challenge?.Name);
        Assert.Equal("Bearer", forbid?.Name);
        Assert.Equal("BearerJwtHandler", authenticate?.HandlerType.Name);
    }

    [Fact]
    public async Task A_second_scheme_composes_with_the_default_one()
    {
        await using var host = await PipelineHost.StartAsync(new PipelineSetup
        {
            Authentication = s => s
                .AddBearerJwt(PipelineHost.UseDefaults)
                .AddBearerJwt("Other", o =>
                {
                    o.ValidIssuer = OtherIssuer;
                    o.ValidAudience = TestJwt.Audience;
                    o.Realm = "other";
                    o.VerificationKeys.Add(VerificationKey.Symmetric(OtherKey));
                }),
        });
        var bearerToken = PipelineHost.Token();
        var otherToken = TestJwt.Hs(OtherKey, TestJwt.Payload(PipelineHost.Now, issuer: OtherIssuer));

        var defaultWithBearer = await host.GetAsync("/protected", bearerToken);
        var defaultWithOther = await host.GetAsync("/protected", otherToken);
        var otherWithOther = await host.GetAsync("/other", otherToken);
        var otherWithBearer = await host.GetAsync("/other", bearerToken);

        Assert.Equal(HttpStatusCode.OK, defaultWithBearer.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, defaultWithOther.Status);
        Assert.Equal(HttpStatusCode.OK, otherWithOther.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, otherWithBearer.Status);
        Assert.StartsWith("Bearer realm=\"other\", error=\"invalid_token\"", otherWithBearer.WwwAuthenticate, StringComparison.Ordinal);

        var monitor = host.Services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>();
        Assert.Equal(TestJwt.Issuer, monitor.Get("Bearer").ValidIssuer);
        Assert.Equal(OtherIssuer, monitor.Get("Other").ValidIssuer);
    }

    [Fact]
    public async Task AddBearerJwt_on_the_authentication_builder_does_not_change_the_default_scheme()
    {
        await using var host = await PipelineHost.StartAsync(new PipelineSetup
        {
            Authentication = s => s
                .AddAuthentication("Other")
                .AddBearerJwt("Other", o =>
                {
                    o.ValidIssuer = OtherIssuer;
                    o.ValidAudience = TestJwt.Audience;
                    o.VerificationKeys.Add(VerificationKey.Symmetric(OtherKey));
                })
                .AddBearerJwt("Second", PipelineHost.UseDefaults),
        });

        var schemes = host.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        var otherToken = TestJwt.Hs(OtherKey, TestJwt.Payload(PipelineHost.Now, issuer: OtherIssuer));

        Assert.Equal("Other", (await schemes.GetDefaultAuthenticateSchemeAsync())?.Name);
        Assert.NotNull(await schemes.GetSchemeAsync("Second"));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/protected", otherToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/protected", PipelineHost.Token())).Status);
    }

    [Fact]
    public async Task Each_scheme_is_validated_on_start_under_its_own_name()
    {
        using var host = PipelineHost.Build(new PipelineSetup
        {
            Authentication = s => s
                .AddBearerJwt(PipelineHost.UseDefaults)
                .AddBearerJwt("Other", o => o.ValidAudience = TestJwt.Audience),
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("Other", exception.OptionsName);
        Assert.Contains("Authentication:Schemes:Other:SigningKeys", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_clock_comes_from_the_TimeProvider_in_DI()
    {
        // The host registers a FakeTimeProvider fixed at PipelineHost.Now (1 June 2026): a token valid at that
        // instant is accepted whatever the machine's clock says, and one that expired a minute before it is not.
        await using var host = await PipelineHost.StartAsync();
        var expiredThen = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddMinutes(-6)));

        var valid = await host.GetAsync("/protected", PipelineHost.Token());
        var expired = await host.GetAsync("/protected", expiredThen);

        Assert.Equal(HttpStatusCode.OK, valid.Status);
        Assert.Contains("reason=\"token_expired\"", expired.WwwAuthenticate, StringComparison.Ordinal);
    }
}
