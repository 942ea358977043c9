using Bearer.Auth;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddBearerJwt(options =>
{
    options.ValidIssuer = "https://login.example.com/";
    options.ValidAudience = "api://orders";

    // The issuer's public keys; or options.Authority = "https://login.example.com/" to fetch and rotate them.
    foreach (var key in Jwks.Parse(File.ReadAllText("jwks.json")))
    {
        options.VerificationKeys.Add(key);
    }
});
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/orders", () => "ok").RequireAuthorization(p => p.RequireRole("admin"));
app.Run();
