using Bearer.Auth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using MvcSample.Browser;
using MvcSample.Services;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);

// An unreachable session store or key ring is a 503 with Retry-After, never a 500 (StoreUnavailableFilter).
builder.Services.AddControllersWithViews(mvc => mvc.Filters.Add<StoreUnavailableFilter>());

// Browser sign-in (Browser/): tokens in HttpOnly cookies, antiforgery tokens on every form (their cookie Strict
// too), pages that redirect to the login form where the API answers 401.
builder.Services.AddSingleton<BrowserCookies>();
builder.Services.AddAntiforgery(antiforgery =>
{
    antiforgery.Cookie.SameSite = SameSiteMode.Strict;
    // Secure over HTTPS. Not Always, nor a __Host- name (which needs Secure): with Always the antiforgery service
    // throws on every plain-http request, and the sample runs over http on 127.0.0.1. The cookie alone forges nothing
    // (the form token is the secret, and it is bound to the signed-in user).
    antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
});
builder.Services.AddSingleton(TimeProvider.System);

// GET /health: the scheme's key sources, and with Redis the revocation view (connection, age, writes in flight).
var health = builder.Services.AddHealthChecks().AddBearerJwt();

// ConnectionStrings:Redis set: refresh-token sessions, revocations and the signing key ring live in Redis, so every
// instance with the same connection string accepts the others' tokens and refresh tokens, and a revocation on one is
// enforced by all. The ring's private keys are encrypted with Data Protection, whose own keys must then be shared too:
// they go to Redis as well, under one application name. Unset: everything stays in this process.
if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
{
    builder.Services.AddBearerJwtRedis(options => options.Configuration = redis);
    health.AddBearerJwtRedisRevocation();
    builder.Services.AddDataProtection()
        .SetApplicationName("MvcSample")
        .PersistKeysToStackExchangeRedis(
            ConnectionMultiplexer.Connect(ConfigurationOptions.Parse(redis).Apply(o => o.AbortOnConnectFail = false)),
            "bearer:data-protection-keys");
}

builder.Services.AddOptions<SampleOptions>().Bind(builder.Configuration.GetSection(SampleOptions.SectionName));
// The signing keys: a ring the library creates and rotates (ES256, kid = JWK thumbprint, RFC 7638). A new key is
// published at /.well-known/jwks.json before it signs, and a retired one stays published until its tokens have
// expired. Held in this process (InMemorySigningKeyStore), so a restart invalidates every token the sample issued.
builder.Services.AddBearerJwtSigningKeyRing();
builder.Services.AddOptions<BearerJwtKeyRingOptions>().Configure<IOptions<SessionLifetimeOptions>>((ring, sessions) =>
{
    // A retired key stays published at least as long as the tokens it signed can be accepted (with clock skew).
    var needed = sessions.Value.AccessTokenLifetime + BearerJwtIssuerOptions.MaximumClockSkew;
    ring.RetentionAfterRetirement = needed > ring.RetentionAfterRetirement ? needed : ring.RetentionAfterRetirement;
});
builder.Services.AddSingleton<InMemoryUserStore>();

// Sessions:* (TimeSpan values), read by hand and checked at start-up: a bad value stops the sample naming its key.
builder.Services.AddSingleton<IConfigureOptions<SessionLifetimeOptions>, SessionLifetimeOptionsSetup>();
builder.Services.AddSingleton<IValidateOptions<SessionLifetimeOptions>, SessionLifetimeOptionsValidator>();
builder.Services.AddOptions<SessionLifetimeOptions>().ValidateOnStart();

// Access tokens: the library's issuer, with the sample's issuer and audience, signed by the ring's current key.
builder.Services.AddSingleton(services =>
{
    var sample = services.GetRequiredService<IOptions<SampleOptions>>().Value;
    return new BearerJwtTokenIssuer(
        new BearerJwtIssuerOptions
        {
            Issuer = sample.Issuer,
            Audiences = { sample.Audience },
            SigningKeyRing = services.GetRequiredService<SigningKeyRing>(),
            AccessTokenLifetime = services.GetRequiredService<IOptions<SessionLifetimeOptions>>().Value.AccessTokenLifetime,
        },
        services.GetRequiredService<TimeProvider>());
});

// Refresh tokens and revoked access tokens: in Redis when it is configured (above), else held in this process
// (InMemoryRefreshTokenStore and InMemoryTokenRevocationStore), where a restart forgets them as it forgets the signing
// keys. The handler finds the revocation store in DI and checks every token against it.
builder.Services.AddBearerJwtRefreshTokens();
builder.Services.AddOptions<BearerJwtRefreshTokenOptions>().Configure<IOptions<SessionLifetimeOptions>>((options, sessions) =>
{
    options.RefreshTokenLifetime = sessions.Value.RefreshTokenLifetime;
    options.SessionLifetime = sessions.Value.SessionLifetime;
    options.RefreshReuseGracePeriod = sessions.Value.RefreshReuseGracePeriod;

    // How long an ended session's sid stays revoked: until its last access token has expired.
    options.AccessTokenLifetime = sessions.Value.AccessTokenLifetime;
});
builder.Services.TryAddSingleton<ITokenRevocationStore>(services => new InMemoryTokenRevocationStore(services.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<SessionTokens>();

// Authentication:Schemes:Bearer (appsettings, user secrets from `dotnet user-jwts`, environment…) binds first.
// The sample then ADDS its own issuer, audience and keys, so configured issuers keep working beside it.
builder.Services.AddBearerJwt();
builder.Services.AddOptions<BearerJwtOptions>(BearerJwtDefaults.AuthenticationScheme)
    .Configure<SigningKeyRing, IOptions<SampleOptions>>((options, ring, sample) =>
    {
        options.ValidIssuers.Add(sample.Value.Issuer);
        options.ValidAudiences.Add(sample.Value.Audience);

        // The ring's published keys, bound to the sample's issuer, so they vouch for no other issuer.
        options.KeyResolver = ring.CreateKeyResolver(sample.Value.Issuer);

        // Browsers present the access token in a cookie; an Authorization header, when sent, wins and the cookie is
        // then not read. Page requests get a login redirect or a 403 page instead of the RFC 6750 challenge.
        options.TokenCookieName = BrowserCookies.AccessToken;
        BrowserAuthenticationEvents.Apply(options.Events);
    });
builder.Services.AddAuthorization();

var app = builder.Build();

// A page request that ends without a body (403 from the role check, 404) gets a page; API requests keep theirs.
app.UseStatusCodePagesWithReExecute("/error/{0}");
app.Use((context, next) =>
{
    if (!BrowserRequests.IsPage(context.Request) && context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
    {
        statusPages.Enabled = false;
    }

    return next(context);
});
app.UseStaticFiles();
app.UseMiddleware<CrossSiteRequestGuard>();
app.UseAuthentication();
app.UseMiddleware<SilentRefreshMiddleware>();
app.UseAuthorization();
app.MapControllers();
app.MapHealthChecks("/health");

app.Run();

/// <summary>The entry point, public so the tests can host the sample with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
