using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Benchmarks;

/// <summary>Settings of <see cref="PipelineFloorHandler"/>: the one header it accepts and the claims it hands out.</summary>
public sealed class PipelineFloorOptions : AuthenticationSchemeOptions
{
    public string? Authorization { get; set; }

    public Claim[] Claims { get; set; } = [];

    public string NameClaimType { get; set; } = ClaimsIdentity.DefaultNameClaimType;

    public string RoleClaimType { get; set; } = ClaimsIdentity.DefaultRoleClaimType;
}

/// <summary>
/// The floor of any authentication handler: no token is read or validated, the request only has to carry exactly the
/// expected Authorization header, and the principal is rebuilt from a prebuilt claim list. It is still fresh per
/// request (a new identity, new claims, a new principal and ticket), because applications mutate the principal they
/// are given, so no real handler may share one. Its <c>Protected − Anonymous</c> is the part of the overhead no
/// handler can avoid: the base class, the header through TestServer, the ticket, the authorization policy.
/// </summary>
public sealed class PipelineFloorHandler(IOptionsMonitor<PipelineFloorOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<PipelineFloorOptions>(options, logger, encoder)
{
    public const string SchemeName = "Floor";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization;
        if (authorization.Count != 1 || !string.Equals(authorization[0], Options.Authorization, StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity(Scheme.Name, Options.NameClaimType, Options.RoleClaimType);
        foreach (var claim in Options.Claims)
        {
            identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, claim.Issuer, claim.OriginalIssuer, identity));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
