using System.Net;
using System.Text.Json;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>
/// The RFC 9457 body of the scheme's refusals: written through the app's <c>IProblemDetailsService</c> when it has one
/// (so its customisation applies and its writers may decline), by hand otherwise, never when turned off, when an event
/// took over, or when another scheme of the same policy answers after this one.
/// </summary>
public sealed class ProblemDetailsTests
{
    private const string OtherIssuer = "https://other-issuer.test";

    private static readonly string Expired = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1)));

    [Fact]
    public async Task With_AddProblemDetails_the_body_goes_through_the_apps_service_and_its_customisation()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(
            _ => { },
            s => s.AddProblemDetails(p => p.CustomizeProblemDetails = context => context.ProblemDetails.Extensions["app"] = "orders-api"));

        var expired = await host.GetAsync("/protected", Expired);
        var empty = await host.GetWithAuthorizationAsync("/protected", "Bearer ");

        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal("application/problem+json", expired.Header("Content-Type"));
        var body = expired.Json;
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.2", body.GetProperty("type").GetString());
        Assert.Equal("Unauthorized", body.GetProperty("title").GetString());
        Assert.Equal(401, body.GetProperty("status").GetInt32());
        Assert.Equal("The token has expired.", body.GetProperty("detail").GetString());
        Assert.Equal("invalid_token", body.GetProperty("error").GetString());
        Assert.Equal("token_expired", body.GetProperty("reason").GetString());
        Assert.Equal("orders-api", body.GetProperty("app").GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("traceId").ValueKind);
        Assert.Equal(
            ["app", "detail", "error", "reason", "status", "title", "traceId", "type"],
            body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(400, empty.Json.GetProperty("status").GetInt32());
        Assert.Equal("token_empty", empty.Json.GetProperty("reason").GetString());
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has expired.\", reason=\"token_expired\"", expired.WwwAuthenticate);
    }

    [Fact]
    public async Task When_the_apps_problem_writers_decline_the_response_keeps_its_status_and_challenge_and_has_no_body()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(_ => { }, s => s.AddProblemDetails());

        var response = await host.GetAsync("/protected", Expired, r => r.Headers.Accept.ParseAdd("text/html"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has expired.\", reason=\"token_expired\"", response.WwwAuthenticate);
        Assert.Equal("", response.Body);
    }

    [Fact]
    public async Task Without_the_service_the_body_is_written_whatever_the_client_accepts()
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetAsync("/protected", Expired, r => r.Headers.Accept.ParseAdd("text/html"));

        Assert.Equal(ProblemJson.For(401, "The token has expired.", "invalid_token", "token_expired"), response.Body);
    }

    [Fact]
    public async Task WriteProblemDetails_off_leaves_every_response_without_a_body_and_with_its_headers()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o => o.WriteProblemDetails = false);

        var expired = await host.GetAsync("/protected", Expired);
        var empty = await host.GetWithAuthorizationAsync("/protected", "Bearer ");
        var missing = await host.GetAsync("/protected");
        var forbidden = await host.GetAsync("/forbidden", PipelineHost.Token());

        Assert.All([expired, empty, missing, forbidden], r =>
        {
            Assert.Equal("", r.Body);
            Assert.Null(r.Header("Content-Type"));
            Assert.Equal("no-store", r.CacheControl);
        });
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has expired.\", reason=\"token_expired\"", expired.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal("Bearer", missing.WwwAuthenticate);
        Assert.Equal("Bearer error=\"insufficient_scope\"", forbidden.WwwAuthenticate);
    }

    [Fact]
    public async Task WriteProblemDetails_off_from_configuration_and_the_service_is_not_asked()
    {
        var asked = 0;
        await using var host = await PipelineHost.StartAsync(new PipelineSetup
        {
            Configuration = new Dictionary<string, string?> { ["Authentication:Schemes:Bearer:WriteProblemDetails"] = "false" },
            Services = s => s.AddProblemDetails(p => p.CustomizeProblemDetails = _ => asked++),
        });

        var response = await host.GetAsync("/protected", Expired);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("", response.Body);
        Assert.Equal(0, asked);
    }

    [Fact]
    public async Task A_challenge_the_event_handled_gets_no_body_from_the_scheme()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o => o.Events.OnChallenge = context =>
        {
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", Expired);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("", response.Body);
        Assert.Null(response.WwwAuthenticate);
    }

    [Fact]
    public async Task A_challenge_after_the_response_started_changes_nothing_and_is_logged()
    {
        await using var host = await PipelineHost.StartAsync(new PipelineSetup
        {
            Endpoints = e => e.MapGet("/started", async (HttpContext context) =>
            {
                await context.Response.WriteAsync("partial", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await context.ChallengeAsync();
            }),
        });

        var response = await host.GetAsync("/started", Expired);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("partial", response.Body);
        Assert.Null(response.WwwAuthenticate);
        var logged = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "ResponseAlreadyStarted");
        Assert.Equal(40, logged.Id.Id);
        Assert.Equal("Bearer challenge or forbid not written: the response has already started.", logged.Message);
    }

    [Fact]
    public async Task A_HEAD_request_gets_the_status_and_headers_and_no_body()
    {
        await using var host = await PipelineHost.StartAsync(new PipelineSetup
        {
            Endpoints = e => e.MapMethods("/head", [HttpMethods.Head], () => Results.Ok()).RequireAuthorization(),
        });

        var response = await host.GetAsync("/head", Expired, r => r.Method = HttpMethod.Head);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has expired.\", reason=\"token_expired\"", response.WwwAuthenticate);
        Assert.Equal("", response.Body);
    }

    [Fact]
    public async Task A_policy_of_two_schemes_gets_both_challenges_and_the_last_schemes_body()
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
                    o.VerificationKeys.Add(VerificationKey.Symmetric(new byte[32]));
                }),
            Endpoints = e => e.MapGet("/either", () => "either").RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "Bearer,Other" }),
        });

        var response = await host.GetAsync("/either", Expired);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"The token has expired.\", reason=\"token_expired\""
            + "|Bearer realm=\"other\", error=\"invalid_token\", error_description=\"The signature is invalid.\", reason=\"signature_invalid\"",
            response.WwwAuthenticate);
        Assert.Equal(ProblemJson.For(401, "The signature is invalid.", "invalid_token", "signature_invalid"), response.Body);
    }

    [Fact]
    public async Task A_cookie_scheme_challenged_after_the_bearer_scheme_still_redirects()
    {
        await using var host = await PipelineHost.StartAsync(new PipelineSetup
        {
            Authentication = s => s
                .AddBearerJwt(PipelineHost.UseDefaults)
                .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme),
            Endpoints = e => e.MapGet("/site", () => "site").RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "Bearer,Cookies" }),
        });

        var response = await host.GetAsync("/site", Expired);

        // The bearer scheme wrote its challenge but no body, so the cookie scheme could still answer: no 500.
        Assert.Equal(HttpStatusCode.Redirect, response.Status);
        Assert.StartsWith("http://localhost/Account/Login", response.Header("Location"), StringComparison.Ordinal);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has expired.\", reason=\"token_expired\"", response.WwwAuthenticate);
        Assert.Equal("", response.Body);
    }
}
