using System.Net;
using System.Security.Claims;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bearer.Auth.Tests.Authorization;

// Over 300 lines: every way a scope requirement is met or fails, and every way the policy can be evaluated, share
// one host and its endpoints; split, each half would repeat them.

/// <summary>
/// <c>RequireScope</c> through the real pipeline: any one listed scope from <c>scope</c> or <c>scp</c> (string or
/// array) meets it, exactly and case-sensitively; a failure is a 403 whose challenge and problem body name the scopes
/// of the requirements that failed (RFC 6750 §3), whichever way the policy was evaluated with the request.
/// </summary>
public sealed class ScopeAuthorizationTests
{
    private const string OrdersChallenge = "Bearer error=\"insufficient_scope\", scope=\"orders.read orders.admin\"";

    public static TheoryData<string> Granting { get; } =
    [
        "\"scope\":\"orders.read\"",
        "\"scope\":\"profile orders.admin email\"",
        "\"scope\":[\"profile\",\"orders.read\"]",
        "\"scp\":\"orders.admin\"",
        "\"scp\":\"User.Read orders.read\"",
        "\"scp\":[\"User.Read\",\"orders.admin\"]",
        "\"scope\":\"profile\",\"scp\":\"orders.read\"",
    ];

    public static TheoryData<string> Refused { get; } =
    [
        "",
        "\"scope\":\"profile\"",
        "\"scope\":\"Orders.Read\"",
        "\"scope\":\"orders.readonly\"",
        "\"scope\":\"orders\"",
        "\"scope\":\"orders.read,orders.admin\"",
        "\"scope\":\"\"",
        "\"scope\":[]",
        "\"scope\":null",
        "\"scp\":[\"orders\",\"read\"]",
        "\"role\":\"orders.read\"",
        "\"orders.read\":true",
    ];

    [Theory]
    [MemberData(nameof(Granting))]
    public async Task Any_listed_scope_from_scope_or_scp_meets_the_requirement(string payload)
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/orders", PipelineHost.Token(payload));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("orders", response.Body);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Without_a_listed_scope_the_403_names_the_scopes_that_would_do(string payload)
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/orders", PipelineHost.Token(payload.Length == 0 ? null : payload));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(OrdersChallenge, response.WwwAuthenticate);
        Assert.Equal("no-store", response.CacheControl);
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        Assert.Equal(
            ProblemJson.For(403, "The token does not grant a scope this resource requires.", "insufficient_scope", scope: "orders.read orders.admin"),
            response.Body);
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_the_401_challenge_not_a_403()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer", response.WwwAuthenticate);
    }

    [Fact]
    public async Task Each_failed_requirement_adds_its_scopes_once_in_policy_order_and_met_ones_add_none()
    {
        await using var host = await StartAsync();

        var none = await host.GetAsync("/orders-audited", PipelineHost.Token("\"scope\":\"profile\""));
        var ordersOnly = await host.GetAsync("/orders-audited", PipelineHost.Token("\"scope\":\"orders.admin\""));
        var auditOnly = await host.GetAsync("/orders-audited", PipelineHost.Token("\"scope\":\"audit\""));
        var both = await host.GetAsync("/orders-audited", PipelineHost.Token("\"scope\":\"orders.read audit\""));

        // A token with every scope named meets every requirement that failed.
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders.read orders.admin audit\"", none.WwwAuthenticate);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"audit\"", ordersOnly.WwwAuthenticate);
        Assert.Equal(OrdersChallenge, auditOnly.WwwAuthenticate);
        Assert.Equal(ProblemJson.For(403, "The token does not grant a scope this resource requires.", "insufficient_scope", scope: "audit"), ordersOnly.Body);
        Assert.Equal(HttpStatusCode.OK, both.Status);
    }

    [Fact]
    public async Task A_403_for_another_requirement_names_no_scope()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/orders-admin", PipelineHost.Token("\"scope\":\"orders.read\",\"role\":\"user\""));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Bearer error=\"insufficient_scope\"", response.WwwAuthenticate);
        Assert.Equal(ProblemJson.For(403, "The token does not grant access to this resource.", "insufficient_scope"), response.Body);
    }

    [Fact]
    public async Task Realm_comes_first_and_error_details_off_keeps_the_scope()
    {
        await using var host = await StartAsync(o =>
        {
            o.Realm = "api";
            o.IncludeErrorDetails = false;
        });

        var response = await host.GetAsync("/orders", PipelineHost.Token("\"scope\":\"profile\""));

        Assert.Equal("Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"orders.read orders.admin\"", response.WwwAuthenticate);
        Assert.Equal(ProblemJson.For(403, error: "insufficient_scope", scope: "orders.read orders.admin"), response.Body);
    }

    [Fact]
    public async Task OnForbidden_sees_the_scope_and_can_change_it()
    {
        var seen = new List<string?>();
        await using var host = await StartAsync(o => o.Events.OnForbidden = context =>
        {
            seen.Add(context.Scope);
            context.Scope = "orders.read";
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/orders", PipelineHost.Token("\"scope\":\"profile\""));

        Assert.Equal(["orders.read orders.admin"], seen);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders.read\"", response.WwwAuthenticate);
        Assert.Equal("orders.read", response.Json.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_repeated_token_is_judged_the_same_from_the_claims_the_cache_kept()
    {
        await using var host = await StartAsync();
        var granted = PipelineHost.Token("\"scp\":[\"User.Read\",\"orders.read\"]");
        var refused = PipelineHost.Token("\"scp\":[\"User.Read\"]");

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/orders", granted)).Status);
            Assert.Equal(OrdersChallenge, (await host.GetAsync("/orders", refused)).WwwAuthenticate);
        }
    }

    public static TheoryData<string, string> OtherMappersScopeClaims { get; } = new()
    {
        { "scp", "User.Read orders.admin" },
        { "http://schemas.microsoft.com/identity/claims/scope", "orders.read" },
        { "scope", "profile orders.read" },
    };

    [Theory]
    [MemberData(nameof(OtherMappersScopeClaims))]
    public async Task Scopes_kept_whole_or_under_other_claim_types_by_another_mapper_count(string claimType, string value)
    {
        await using var host = await StartAsync(services: s => s.AddSingleton<IClaimsMapper>(new SingleClaimMapper(claimType, value)));

        var granted = await host.GetAsync("/orders", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.OK, granted.Status);
    }

    [Fact]
    public async Task Scope_claims_of_an_identity_nobody_authenticated_do_not_count()
    {
        await using var host = await StartAsync(o => o.Events.OnTokenValidated = context =>
        {
            context.Principal!.AddIdentity(new ClaimsIdentity([new Claim("scope", "orders.read")]));
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/orders", PipelineHost.Token("\"scope\":\"profile\""));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(OrdersChallenge, response.WwwAuthenticate);
    }

    [Fact]
    public async Task A_policy_evaluated_with_an_MVC_filter_context_still_names_the_scopes()
    {
        // What MVC's AuthorizeFilter does: its AuthorizationFilterContext (an ActionContext) is the resource.
        await using var host = await StartAsync();

        var response = await host.GetAsync("/orders-by-filter-context", PipelineHost.Token("\"scope\":\"profile\""));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(OrdersChallenge, response.WwwAuthenticate);
    }

    [Fact]
    public async Task A_policy_evaluated_with_another_resource_forbids_without_a_scope()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/orders-by-document", PipelineHost.Token("\"scope\":\"profile\""));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Bearer error=\"insufficient_scope\"", response.WwwAuthenticate);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_requirement_a_handler_of_the_app_meets_is_not_named_whether_it_runs_before_or_after(bool before)
    {
        // The app's handlers run in registration order; the requirement judges itself in the platform's pass-through
        // handler, which AddAuthorization registers.
        await using var host = await StartAsync(services: s =>
        {
            var handler = ServiceDescriptor.Singleton<IAuthorizationHandler, EveryScopeRequirementMet>();
            if (before)
            {
                s.Insert(0, handler);
            }
            else
            {
                s.Add(handler);
            }
        });

        var granted = await host.GetAsync("/orders", PipelineHost.Token("\"scope\":\"profile\""));
        var forbidden = await host.GetAsync("/orders-admin", PipelineHost.Token("\"scope\":\"profile\",\"role\":\"user\""));

        Assert.Equal(HttpStatusCode.OK, granted.Status);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Equal("Bearer error=\"insufficient_scope\"", forbidden.WwwAuthenticate);
    }

    private static Task<PipelineHost> StartAsync(Action<BearerJwtOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        PipelineHost.StartAsync(new PipelineSetup
        {
            Options = o =>
            {
                PipelineHost.UseDefaults(o);
                configure?.Invoke(o);
            },
            Services = services,
            Endpoints = MapEndpoints,
        });

    private static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/orders", () => "orders").RequireAuthorization(p => p.RequireScope("orders.read", "orders.admin"));
        endpoints.MapGet("/orders-audited", () => "audited").RequireAuthorization(p => p.RequireScope("orders.read", "orders.admin").RequireScope("audit"));
        endpoints.MapGet("/orders-admin", () => "admin").RequireAuthorization(p => p.RequireScope("orders.read").RequireRole("admin"));
        endpoints.MapGet("/orders-by-filter-context", (HttpContext context) =>
            AuthorizeAsync(context, new ActionContext(context, new RouteData(), new ActionDescriptor()))).RequireAuthorization();
        endpoints.MapGet("/orders-by-document", (HttpContext context) => AuthorizeAsync(context, new object())).RequireAuthorization();
    }

    /// <summary>Evaluates the orders policy by hand with <paramref name="resource"/> and forbids when it fails.</summary>
    private static async Task AuthorizeAsync(HttpContext context, object resource)
    {
        var policy = new AuthorizationPolicyBuilder().RequireScope("orders.read", "orders.admin").Build();
        var result = await context.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(context.User, resource, policy);
        if (result.Succeeded)
        {
            await context.Response.WriteAsync("orders", context.RequestAborted);
        }
        else
        {
            await context.ForbidAsync();
        }
    }

    /// <summary>A mapper that gives the subject and one claim, as another library's mapping might spell scopes.</summary>
    private sealed class SingleClaimMapper(string claimType, string value) : IClaimsMapper
    {
        public ClaimsIdentity CreateIdentity(ValidatedToken token, string authenticationType) =>
            new([new Claim("sub", token.Subject!), new Claim(claimType, value)], authenticationType, "sub", "role");
    }

    /// <summary>A handler of the app's that meets every scope requirement before the requirement judges itself.</summary>
    private sealed class EveryScopeRequirementMet : AuthorizationHandler<ScopeAuthorizationRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeAuthorizationRequirement requirement)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }
}
