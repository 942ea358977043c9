using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.UserSecrets;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

/// <summary>
/// The real <c>dotnet user-jwts create</c>, run in samples/MvcSample of a fresh clone with an empty HOME, leaves no
/// tracked file modified, and the token it prints authenticates against the sample with nothing but what the tool
/// wrote (appsettings.Development.json in the clone, the signing key in the user secrets under that HOME).
/// </summary>
public sealed class UserJwtsToolTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Theory]
    [InlineData("", HttpStatusCode.Forbidden)]
    [InlineData("--role admin --scope api.read", HttpStatusCode.OK)]
    [InlineData("--audience https://orders.example --role admin", HttpStatusCode.OK)]
    public async Task User_jwts_create_leaves_the_clone_clean_and_its_token_reaches_the_sample(string options, HttpStatusCode adminStatus)
    {
        using var clone = await FreshClone.CreateAsync();
        var sample = Path.Combine(clone.Repository, "samples", "MvcSample");

        var created = await ExternalCommand.RunAsync(ExternalCommand.Dotnet, sample, UserEnvironment(clone.Home), ["user-jwts", "create", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        // The tool exits with 0 even when it fails ("Could not find file …"): only a printed token says it worked.
        var token = created.Line("Token");
        Assert.True(created.ExitCode == 0 && token is not null, created.ToString());
        Assert.Equal("", await clone.StatusAsync());
        // The tool's settings went to the file the sample's project creates for it, which git ignores.
        Assert.Equal("!! samples/MvcSample/appsettings.Development.json", await clone.StatusAsync(ignored: true));

        await using var configured = factory.WithWebHostBuilder(builder => builder
            .UseEnvironment("Development")
            .UseContentRoot(sample)
            .ConfigureAppConfiguration((_, configuration) => configuration.AddJsonFile(UserSecretsFile(clone.Home), optional: false)));
        using var client = configured.CreateClient();

        using var me = await SampleApi.GetAsync(client, "/api/me", token);
        using var admin = await SampleApi.GetAsync(client, "/api/admin", token);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var body = await SampleApi.ReadJsonAsync(me);
        Assert.Equal(created.Line("Name"), body.RootElement.GetProperty("name").GetString());
        Assert.Equal(adminStatus, admin.StatusCode);
    }

    [Fact]
    public async Task A_second_token_with_another_audience_also_leaves_the_clone_clean()
    {
        using var clone = await FreshClone.CreateAsync();
        var sample = Path.Combine(clone.Repository, "samples", "MvcSample");

        var first = await ExternalCommand.RunAsync(ExternalCommand.Dotnet, sample, UserEnvironment(clone.Home), "user-jwts", "create", "--role", "admin");
        var second = await ExternalCommand.RunAsync(ExternalCommand.Dotnet, sample, UserEnvironment(clone.Home), "user-jwts", "create", "--audience", "https://orders.example", "--issuer", "https://issuer.example");

        Assert.True(first.Line("Token") is not null, first.ToString());
        Assert.True(second.Line("Token") is not null, second.ToString());
        Assert.Equal("", await clone.StatusAsync());
    }

    /// <summary>
    /// A person's environment with HOME moved to <paramref name="home"/>: user secrets live under HOME (or APPDATA,
    /// which wins when set, so it is removed).
    /// </summary>
    private static Dictionary<string, string?> UserEnvironment(string home) => new()
    {
        ["HOME"] = home,
        ["APPDATA"] = null,
        ["DOTNET_CLI_HOME"] = home,
    };

    /// <summary>Where the secrets of the sample's UserSecretsId live under <paramref name="home"/> (no APPDATA).</summary>
    private static string UserSecretsFile(string home) =>
        Path.Combine(home, ".microsoft", "usersecrets", typeof(Program).Assembly.GetCustomAttribute<UserSecretsIdAttribute>()!.UserSecretsId, "secrets.json");
}
