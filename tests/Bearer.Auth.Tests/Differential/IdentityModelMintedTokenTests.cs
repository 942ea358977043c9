using System.Text.Json;
using Bearer.Auth.Tests.Support;
using CsCheck;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bearer.Auth.Tests.Differential;

/// <summary>
/// Tokens minted by Microsoft.IdentityModel, for every algorithm we support and random claim sets, validate with us
/// and give the same claims as IdentityModel's own validation (compared as <see cref="ClaimComparison"/> describes).
/// Two ways of minting: IdentityModel signs a payload text we wrote (so NumericDates can be fractions and exponent
/// forms, strings escaped either way), and IdentityModel writes the payload itself from a
/// <see cref="SecurityTokenDescriptor"/>'s claims (its own serialization of strings, numbers, arrays and objects).
/// </summary>
public sealed class IdentityModelMintedTokenTests
{
    /// <summary>Cases per algorithm (times <c>BEARER_AUTH_RANDOM_SCALE</c>).</summary>
    private const int Cases = 20;

    public static TheoryData<string> Algorithms => [.. JwsAlgorithms.All];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Token_identitymodel_signs_over_a_random_claims_set_validates_with_the_same_claims(string algorithm)
    {
        var validators = new TwoValidators();
        var key = validators.Keys.For(algorithm);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        await RandomRuns.CheckAsync(
            Gen.Int,
            async seed =>
            {
                var random = new Random(unchecked(seed + (1_000_003 * JwsAlgorithms.IndexOf(algorithm))));
                var payload = RandomClaimSets.Valid(random, integerTimesOnly: false);
                var headerClaims = random.Next(3) switch
                {
                    0 => new Dictionary<string, object> { ["typ"] = "at+jwt" },
                    1 => new Dictionary<string, object>(),
                    _ => new Dictionary<string, object> { ["x-private"] = "h" },
                };
                var token = handler.CreateToken(payload, new SigningCredentials(key.MicrosoftMinting, key.Algorithm), headerClaims);

                await AssertSameAsync(validators, token);
            },
            Cases);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Token_identitymodel_writes_from_a_descriptor_validates_with_the_same_claims(string algorithm)
    {
        var validators = new TwoValidators();
        var key = validators.Keys.For(algorithm);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        await RandomRuns.CheckAsync(
            Gen.Int,
            async seed =>
            {
                var random = new Random(unchecked(seed + (1_000_003 * JwsAlgorithms.IndexOf(algorithm))));
                using var payload = JsonDocument.Parse(RandomClaimSets.Valid(random, integerTimesOnly: true));
                var claims = new Dictionary<string, object>(StringComparer.Ordinal);
                foreach (var member in payload.RootElement.EnumerateObject())
                {
                    claims[member.Name] = ToObject(member.Value)!;
                }

                var descriptor = new SecurityTokenDescriptor
                {
                    Claims = claims,
                    SigningCredentials = new SigningCredentials(key.MicrosoftMinting, key.Algorithm),
                    TokenType = random.Next(2) == 0 ? "JWT" : "at+jwt",
                };

                await AssertSameAsync(validators, handler.CreateToken(descriptor));
            },
            Cases / 2);
    }

    private static async Task AssertSameAsync(TwoValidators validators, string token)
    {
        var verdicts = await validators.JudgeAsync(token);
        Assert.True(verdicts.TheyAccept, "IdentityModel refuses the token it minted (the generator is wrong):\n" + verdicts);
        Assert.True(verdicts.WeAccept, "We refuse a token IdentityModel minted and accepts:\n" + verdicts);
        Assert.Null(ClaimComparison.Difference(verdicts.Ours.Token!, verdicts.Theirs) is { } difference ? difference + "\n" + verdicts : null);

        var ours = verdicts.Ours.Token!;
        var theirs = (JsonWebToken)verdicts.Theirs.SecurityToken;
        Assert.Equal(theirs.Issuer, ours.Issuer);
        Assert.Equal(theirs.Subject, ours.Subject ?? string.Empty);
        Assert.Equal(theirs.Id, ours.TokenId ?? string.Empty);
        Assert.Equal(theirs.Alg, ours.Header.Algorithm);
        Assert.Equal(theirs.Kid, ours.Header.KeyId ?? string.Empty);
    }

    /// <summary>A JSON value as the .NET object a descriptor's claims would hold.</summary>
    private static object? ToObject(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var integer) ? integer : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => value.EnumerateArray().Select(ToObject).ToList(),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(m => m.Name, m => ToObject(m.Value), StringComparer.Ordinal),
        _ => null,
    };
}
