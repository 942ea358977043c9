using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>
/// A token presented again while the repeat-token cache holds it: every request sees the principal a first-time
/// token gives, and what one request does to its principal never reaches the next.
/// </summary>
public sealed class RepeatTokenPipelineTests
{
    private const string Claims = "\"name\":\"Alice\",\"role\":[\"admin\",\"user\"],\"scope\":\"read write\",\"realm_access\":{\"roles\":[\"ops\"]},\"n\":1.5";

    [Fact]
    public async Task A_repeated_token_gets_the_same_principal_on_every_request()
    {
        ValidatedToken? seen = null;
        // The cache as registered by default.
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.RoleClaimPaths.Add("realm_access.roles");
            o.Events.OnTokenValidated = context =>
            {
                seen = context.Token;
                return Task.CompletedTask;
            };
        });
        await using var uncached = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.RepeatTokenCacheSize = 0;
            o.RoleClaimPaths.Add("realm_access.roles");
        });
        var token = PipelineHost.Token(Claims);
        var expected = await uncached.GetAsync("/whoami", token);
        Assert.Equal(HttpStatusCode.OK, expected.Status);

        var tokens = new List<ValidatedToken>();
        for (var i = 0; i < 5; i++)
        {
            var response = await host.GetAsync("/whoami", token);

            Assert.Equal(expected.Body, response.Body);
            tokens.Add(seen!);
        }

        // Admitted on the second validation, then shared: the later requests are served from the kept claims.
        Assert.Same(tokens[1], tokens[4]);
        Assert.True(tokens[4].IsShared);
        Assert.NotNull(((JwtClaimsMapper)host.Services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get("Bearer").ClaimsMapper!).KeptFor(tokens[4]));
    }

    [Fact]
    public async Task Changes_a_request_makes_to_its_principal_stay_in_that_request()
    {
        var requests = 0;
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.RepeatTokenCacheSize = 16;
            o.Events.OnTokenValidated = context =>
            {
                var identity = (ClaimsIdentity)context.Principal!.Identity!;
                identity.AddClaim(new Claim("request", (++requests).ToString(CultureInfo.InvariantCulture)));
                identity.RemoveClaim(identity.FindFirst("role"));
                return Task.CompletedTask;
            };
        });
        var token = PipelineHost.Token(Claims);

        for (var i = 1; i <= 5; i++)
        {
            var response = await host.GetAsync("/whoami", token);

            Assert.Equal([i.ToString(CultureInfo.InvariantCulture)], response.ValuesOf("request"));
            Assert.Equal(["user"], response.ValuesOf("role"));
            Assert.Equal(["read", "write"], response.ValuesOf("scope"));
            Assert.Equal("Alice", response.Json.GetProperty("name").GetString());
        }
    }
}
