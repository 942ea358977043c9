using Bearer.Auth;
using Microsoft.Extensions.Options;
using MvcSample.Services;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddControllers();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptions<SampleOptions>().Bind(builder.Configuration.GetSection(SampleOptions.SectionName));
// The development signing key: ES256, generated at start and never stored, so a restart invalidates every token the
// sample issued. Its kid is its JWK thumbprint (RFC 7638).
builder.Services.AddSingleton(_ => SigningKey.Generate(JwsAlgorithms.ES256));
builder.Services.AddSingleton<DevelopmentTokenIssuer>();
builder.Services.AddSingleton<InMemoryUserStore>();
// Revoked tokens (POST /api/auth/logout), held in this process: the handler finds the store in DI and checks every
// token against it. Several instances would share a store instead.
builder.Services.AddSingleton<ITokenRevocationStore>(services => new InMemoryTokenRevocationStore(services.GetRequiredService<TimeProvider>()));

// Authentication:Schemes:Bearer (appsettings, user secrets from `dotnet user-jwts`, environment…) binds first.
// The sample then ADDS its own issuer, audience and key, so configured issuers keep working beside it.
builder.Services.AddBearerJwt();
builder.Services.AddOptions<BearerJwtOptions>(BearerJwtDefaults.AuthenticationScheme)
    .Configure<SigningKey, IOptions<SampleOptions>>((options, key, sample) =>
    {
        options.ValidIssuers.Add(sample.Value.Issuer);
        options.ValidAudiences.Add(sample.Value.Audience);

        // Bound to the sample's issuer, so the sample's key vouches for no other issuer.
        options.VerificationKeys.Add(key.ToVerificationKey(sample.Value.Issuer));
    });
builder.Services.AddAuthorization();

var app = builder.Build();

app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.MapControllers();

app.Run();

/// <summary>The entry point, public so the tests can host the sample with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
