using Bearer.Auth.Tests.Docs;

namespace Bearer.Auth.Tests.Issuance;

/// <summary>The README's "Issuing tokens" example is this code word for word, so it compiles and issues a token our validator accepts.</summary>
public sealed class ReadmeIssuingExampleTests
{
    [Fact]
    public async Task The_readme_example_compiles_runs_and_is_in_the_readme_word_for_word()
    {
        var token = Example();

        var source = RepositoryFiles.Read("tests/Bearer.Auth.Tests/Issuance/ReadmeIssuingExampleTests.cs");
        var start = source.LastIndexOf("// readme:start\n", StringComparison.Ordinal) + "// readme:start\n".Length;
        var end = source.LastIndexOf("        // readme:end", StringComparison.Ordinal);
        var example = string.Join('\n', source[start..end].TrimEnd('\n').Split('\n').Select(line => line.Length >= 8 ? line[8..] : line));
        Assert.Contains("```csharp\n" + example + "\n```", RepositoryFiles.Read("README.md"), StringComparison.Ordinal);

        var validator = new BearerJwtValidator(new TokenValidationSettings
        {
            KeyResolver = new StaticKeyResolver([Key.ToVerificationKey("https://login.example.com/")]),
            ValidIssuers = ["https://login.example.com/"],
            ValidAudiences = ["api://orders"],
        });
        Assert.Equal(TokenFailureReason.None, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
    }

    private static readonly SigningKey Key = SigningKey.Generate(JwsAlgorithms.ES256);

    private static string Example()
    {
        var signingKey = Key;
        // readme:start
        var issuer = new BearerJwtTokenIssuer(new BearerJwtIssuerOptions
        {
            Issuer = "https://login.example.com/",
            Audiences = ["api://orders"],
            SigningKey = signingKey,                      // e.g. SigningKey.Generate(JwsAlgorithms.ES256)
            AccessTokenLifetime = TimeSpan.FromMinutes(15), // the default
        }, TimeProvider.System);

        var issued = issuer.Issue(new AccessTokenRequest("user-42") { SessionId = "s-7", Roles = ["admin"] }
            .AddClaim("name", "Alice")
            .AddClaim("tenant_id", 1234L));
        // issued.Token (the access_token), issued.TokenId (jti), issued.ExpiresAt (for expires_in and revocation)
        // readme:end
        return issued.Token;
    }
}
