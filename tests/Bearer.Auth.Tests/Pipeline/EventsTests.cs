using System.Net;
using System.Security.Claims;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bearer.Auth.Tests.Pipeline;

// Over 300 lines: every event, in request order, with what it may change; split, the order would be lost.
/// <summary>What each event can see and change, in request order.</summary>

public sealed class EventsTests
{
    private const string RejectedChallenge =
        "Bearer error=\"invalid_token\", error_description=\"The token was rejected.\", reason=\"token_rejected\"";

    private static readonly string Expired = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1)));

    private static Task<PipelineHost> StartAsync(Action<BearerJwtEvents> events, Action<IServiceCollection>? services = null) =>
        PipelineHost.StartWithDefaultsAsync(
            o => events(o.Events),
            services);

    [Fact]
    public async Task OnMessageReceived_can_supply_the_token_from_elsewhere()
    {
        await using var host = await StartAsync(e => e.OnMessageReceived = context =>
        {
            context.Token = context.Request.Headers["X-Token"];
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", edit: r => r.Headers.Add("X-Token", PipelineHost.Token()));

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task A_token_supplied_by_OnMessageReceived_means_the_request_is_not_read()
    {
        await using var host = await StartAsync(e => e.OnMessageReceived = context =>
        {
            context.Token = PipelineHost.Token();
            return Task.CompletedTask;
        });

        var response = await host.GetWithAuthorizationAsync("/protected", "Bearer a", "Bearer b");

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task A_token_supplied_by_OnMessageReceived_is_validated_like_any_other()
    {
        await using var host = await StartAsync(e => e.OnMessageReceived = context =>
        {
            context.Token = Expired;
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"The token has expired.\", reason=\"token_expired\"",
            response.WwwAuthenticate);
    }

    [Fact]
    public async Task OnMessageReceived_NoResult_skips_the_header_and_gives_the_bare_challenge()
    {
        await using var host = await StartAsync(e => e.OnMessageReceived = context =>
        {
            context.NoResult();
            return Task.CompletedTask;
        });

        var valid = await host.GetAsync("/protected", PipelineHost.Token());
        var expired = await host.GetAsync("/protected", Expired);

        Assert.Equal(HttpStatusCode.Unauthorized, valid.Status);
        Assert.Equal("Bearer", valid.WwwAuthenticate);
        Assert.Equal("Bearer", expired.WwwAuthenticate);
    }

    [Fact]
    public async Task OnMessageReceived_Success_authenticates_without_a_token()
    {
        await using var host = await StartAsync(e => e.OnMessageReceived = context =>
        {
            context.Principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("name", "service")], context.Scheme.Name, "name", "role"));
            context.Success();
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/whoami");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("service", response.Json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task OnMessageReceived_Fail_with_a_message_is_token_rejected()
    {
        await using var host = await StartAsync(e => e.OnMessageReceived = context =>
        {
            context.Fail("not from this network");
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(RejectedChallenge, response.WwwAuthenticate);
        Assert.DoesNotContain("network", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnMessageReceived_Fail_with_a_reason_keeps_that_reason()
    {
        await using var host = await StartAsync(e => e.OnMessageReceived = context =>
        {
            context.Fail(new BearerJwtException(TokenFailureReason.TokenRevoked));
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"The token has been revoked.\", reason=\"token_revoked\"",
            response.WwwAuthenticate);
    }

    [Fact]
    public async Task OnTokenValidated_sees_the_token_and_can_replace_the_principal()
    {
        string? subject = null;
        await using var host = await StartAsync(e => e.OnTokenValidated = context =>
        {
            subject = context.Token.Subject;
            context.Principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("name", "replaced"), new Claim("role", "admin")], context.Scheme.Name, "name", "role"));
            return Task.CompletedTask;
        });

        var whoami = await host.GetAsync("/whoami", PipelineHost.Token());
        var admin = await host.GetAsync("/admin", PipelineHost.Token());

        Assert.Equal("user-1", subject);
        Assert.Equal(HttpStatusCode.OK, whoami.Status);
        Assert.Equal("replaced", whoami.Json.GetProperty("name").GetString());
        Assert.Empty(whoami.ValuesOf("sub"));
        Assert.Equal(HttpStatusCode.OK, admin.Status);
    }

    [Fact]
    public async Task OnTokenValidated_can_add_claims_to_the_mapped_identity()
    {
        await using var host = await StartAsync(e => e.OnTokenValidated = context =>
        {
            ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("role", "admin"));
            return Task.CompletedTask;
        });

        var admin = await host.GetAsync("/admin", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.OK, admin.Status);
    }

    public static TheoryData<string> Refusals { get; } = ["Reject", "Fail(string)", "Fail(Exception)"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task OnTokenValidated_refusal_is_token_rejected_and_raises_OnAuthenticationFailed(string refusal)
    {
        var failures = new List<TokenFailureReason>();
        await using var host = await StartAsync(e =>
        {
            e.OnTokenValidated = context =>
            {
                switch (refusal)
                {
                    case "Reject":
                        context.Reject();
                        break;
                    case "Fail(string)":
                        context.Fail("tenant disabled");
                        break;
                    default:
                        context.Fail(new InvalidOperationException("tenant disabled"));
                        break;
                }

                return Task.CompletedTask;
            };
            e.OnAuthenticationFailed = context =>
            {
                failures.Add(context.Reason);
                return Task.CompletedTask;
            };
        });

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(RejectedChallenge, response.WwwAuthenticate);
        Assert.Equal([TokenFailureReason.TokenRejected], failures);
    }

    [Fact]
    public async Task OnAuthenticationFailed_sees_the_reason_once()
    {
        var failures = new List<(TokenFailureReason Reason, string Code)>();
        await using var host = await StartAsync(e => e.OnAuthenticationFailed = context =>
        {
            failures.Add((context.Reason, context.Exception.Code));
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", Expired);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal([(TokenFailureReason.TokenExpired, "token_expired")], failures);
    }

    [Fact]
    public async Task OnAuthenticationFailed_sees_request_errors_too()
    {
        var failures = new List<TokenFailureReason>();
        await using var host = await StartAsync(e => e.OnAuthenticationFailed = context =>
        {
            failures.Add(context.Reason);
            return Task.CompletedTask;
        });

        await host.GetWithAuthorizationAsync("/protected", "Bearer a b");

        Assert.Equal([TokenFailureReason.TokenMultiple], failures);
    }

    [Fact]
    public async Task OnAuthenticationFailed_NoResult_turns_the_failure_into_the_bare_challenge()
    {
        await using var host = await StartAsync(e => e.OnAuthenticationFailed = context =>
        {
            context.NoResult();
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", Expired);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer", response.WwwAuthenticate);

        // A token came, so the body does not claim none did; the event set the reason aside, so it names none.
        Assert.Equal(ProblemJson.For(401), response.Body);
    }

    [Fact]
    public async Task OnChallenge_sees_the_reason_and_can_change_error_and_description()
    {
        var reasons = new List<TokenFailureReason>();
        await using var host = await StartAsync(e => e.OnChallenge = context =>
        {
            reasons.Add(context.Reason);
            context.Error = "invalid_request";
            context.ErrorDescription = "Sign in again, \"please\".";
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", Expired);

        Assert.Equal([TokenFailureReason.TokenExpired], reasons);
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(
            "Bearer error=\"invalid_request\", error_description=\"Sign in again, \\\"please\\\".\", reason=\"token_expired\"",
            response.WwwAuthenticate);
        Assert.Equal("Sign in again, \"please\".", response.Json.GetProperty("detail").GetString());
        Assert.Equal("invalid_request", response.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task OnChallenge_sees_None_when_no_token_was_sent()
    {
        var reasons = new List<TokenFailureReason>();
        await using var host = await StartAsync(e => e.OnChallenge = context =>
        {
            reasons.Add(context.Reason);
            Assert.Null(context.Error);
            Assert.Null(context.ErrorDescription);
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected");

        Assert.Equal([TokenFailureReason.None], reasons);
        Assert.Equal("Bearer", response.WwwAuthenticate);
    }

    [Fact]
    public async Task OnChallenge_HandleResponse_takes_over_the_response()
    {
        await using var host = await StartAsync(e => e.OnChallenge = async context =>
        {
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status418ImATeapot;
            await context.Response.WriteAsync("custom");
        });

        var response = await host.GetAsync("/protected", Expired);

        Assert.Equal((HttpStatusCode)418, response.Status);
        Assert.Equal("custom", response.Body);
        Assert.Null(response.WwwAuthenticate);
        Assert.Null(response.CacheControl);
    }

    [Fact]
    public async Task OnForbidden_HandleResponse_takes_over_the_response()
    {
        var called = 0;
        await using var host = await StartAsync(e => e.OnForbidden = async context =>
        {
            called++;
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("hidden");
        });

        var response = await host.GetAsync("/admin", PipelineHost.Token());

        Assert.Equal(1, called);
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("hidden", response.Body);
        Assert.Null(response.WwwAuthenticate);
    }

    [Fact]
    public async Task OnForbidden_without_HandleResponse_keeps_the_default_403()
    {
        var called = 0;
        await using var host = await StartAsync(e => e.OnForbidden = _ =>
        {
            called++;
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/admin", PipelineHost.Token());

        Assert.Equal(1, called);
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Bearer error=\"insufficient_scope\"", response.WwwAuthenticate);
    }

    [Fact]
    public async Task EventsType_resolves_a_subclass_from_DI_per_request()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(
            o => o.EventsType = typeof(TenantEvents),
            s => s.AddScoped<TenantEvents>().AddSingleton<TenantEventsLog>());

        var admin = await host.GetAsync("/admin", PipelineHost.Token());
        var expired = await host.GetAsync("/protected", Expired);

        var log = host.Services.GetRequiredService<TenantEventsLog>();
        Assert.Equal(HttpStatusCode.OK, admin.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal(["validated", "failed:token_expired"], log.Entries);
    }

    /// <summary>Events with a DI dependency, as an application would write them.</summary>
    internal sealed class TenantEvents(TenantEventsLog log) : BearerJwtEvents
    {
        public override Task TokenValidated(TokenValidatedContext context)
        {
            log.Entries.Add("validated");
            ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("role", "admin"));
            return base.TokenValidated(context);
        }

        public override Task AuthenticationFailed(AuthenticationFailedContext context)
        {
            log.Entries.Add("failed:" + context.Exception.Code);
            return base.AuthenticationFailed(context);
        }
    }

    internal sealed class TenantEventsLog
    {
        internal List<string> Entries { get; } = [];
    }
}
