var builder = WebApplication.CreateBuilder(args);
builder.Services.AddBearerJwt(options =>
{
    // Your identity provider: its keys are found by OpenID Connect discovery, cached and rotated.
    options.Authority = "https://login.example.com/";
    options.ValidAudience = "api://orders";
});
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/orders", () => "ok").RequireAuthorization(p => p.RequireRole("admin"));
app.Run();
