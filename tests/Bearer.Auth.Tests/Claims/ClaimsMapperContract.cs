using System.Security.Claims;
using System.Text.Json;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Claims;

/// <summary>
/// What every <see cref="IClaimsMapper"/> must do, whoever wrote it: facts each runner (a subclass that supplies one
/// mapper) inherits, as ASP.NET Core's <c>SharedAuthenticationTests</c> does for handlers. Each holds for a token seen
/// once and for one the repeat-token cache shares between requests: the identity is authenticated with the given
/// authentication type, every claim names the token's issuer, each mapping is a new identity no other request's edits
/// reach, name and roles read the claim types the mapper declares, and no payload the validator accepts makes it throw.
/// </summary>
public abstract class ClaimsMapperContract
{
    private const string OtherIssuer = "https://other-issuer.test/tenant-1";

    private static readonly BearerJwtValidator Validator = new(new TokenValidationSettings
    {
        KeyResolver = new StaticKeyResolver([VerificationKey.Symmetric(PipelineHost.Key)]),
        ValidIssuers = [TestJwt.Issuer, OtherIssuer],
        ValidAudiences = [TestJwt.Audience],
        TimeProvider = new FakeTimeProvider(PipelineHost.Now),

        // Off, so each validation is a new token; the tests share one as the cache would.
        RepeatTokenCacheSize = 0,
    });

    /// <summary>Gets payloads (members, without braces) that stretch a mapper: every JSON shape, odd names and values, sizes past the kept-claims limits.</summary>
    public static TheoryData<string> UnusualPayloads { get; } =
    [
        "\"profile\":{\"address\":{\"city\":\"Z\\u00fcrich\",\"geo\":[47.37,8.54]},\"tags\":[]},\"realm_access\":{\"roles\":{\"not\":\"an array\"}},\"resource_access\":{}",
        "\"mixed\":[1,\"two\",3.5,true,null,{\"k\":[1]},[[]]],\"empty\":[],\"roles\":[],\"groups\":[[\"nested\"],{\"g\":1},7,null]",
        "\"big\":123456789012345678901234567890,\"neg\":-0,\"huge\":1E+300,\"tiny\":5e-324,\"frac\":0.1,\"int\":-9223372036854775808",
        "\"yes\":true,\"no\":false,\"nothing\":null,\"name\":null,\"role\":null,\"preferred_username\":null",
        "\"na\\u006de\":\"Escaped Name\",\"\\u00e9t\\u00e9\":\"\\ud83d\\ude00\",\"quote\\\"d\":\"\\\\\",\"\":\"empty name\",\"ro\\u006ces\":[\"escaped-role\"]",
        "\"name\":{\"first\":\"A\"},\"roles\":[[\"nested\"],{\"r\":1},7,true],\"scope\":[\"a b\",\" \",\"\"],\"scp\":\"\",\"preferred_username\":[1,2]",
        "\"deep\":" + new string('[', 40) + "\"bottom\"" + new string(']', 40) + ",\"realm_access\":{\"roles\":[" + new string('{', 1) + "\"x\":" + new string('[', 20) + new string(']', 20) + "}]}",
        string.Join(',', Enumerable.Range(0, 100).Select(i => $"\"claim{i}\":\"value{i}\"")),
        "\"long\":\"" + new string('x', 5000) + "\",\"name\":\"" + new string('n', 3000) + "\"",
        "\"emoji\":\"\\ud83d\\ude00 \\u202eevil\",\"nul\":\"a\\u0000b\",\"controls\":\"\\t\\r\\n\\b\\f\",\"slash\":\"\\/\"",
    ];

    /// <summary>Gets the claim type the mapper reads the name from (<see cref="ClaimsIdentity.NameClaimType"/>).</summary>
    protected virtual string NameClaimType => "name";

    /// <summary>Gets the claim type the mapper gives roles (<see cref="ClaimsIdentity.RoleClaimType"/>).</summary>
    protected virtual string RoleClaimType => "role";

    /// <summary>Creates the mapper under test.</summary>
    /// <returns>A new mapper.</returns>
    protected abstract IClaimsMapper CreateMapper();

    /// <summary>Payload members that give <paramref name="name"/> as the name (JSON text, no braces).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The members.</returns>
    protected virtual string NameMember(string name) => $"\"name\":{JsonSerializer.Serialize(name)}";

    /// <summary>Payload members that give <paramref name="roles"/> as roles (JSON text, no braces).</summary>
    /// <param name="roles">The roles.</param>
    /// <returns>The members.</returns>
    protected virtual string RolesMember(IReadOnlyList<string> roles) => $"\"roles\":{JsonSerializer.Serialize(roles)}";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_identity_is_authenticated_with_the_given_authentication_type(bool shared)
    {
        var mapper = CreateMapper();
        var token = await ValidateAsync(NameMember("Alice"), shared);

        var bearer = mapper.CreateIdentity(token, "Bearer");
        var other = mapper.CreateIdentity(token, "Partner scheme");

        Assert.True(bearer.IsAuthenticated);
        Assert.Equal("Bearer", bearer.AuthenticationType);
        Assert.True(other.IsAuthenticated);
        Assert.Equal("Partner scheme", other.AuthenticationType);
    }

    [Theory]
    [InlineData(TestJwt.Issuer, false)]
    [InlineData(TestJwt.Issuer, true)]
    [InlineData(OtherIssuer, false)]
    [InlineData(OtherIssuer, true)]
    public async Task Every_claim_names_the_issuer_of_the_token(string issuer, bool shared)
    {
        var mapper = CreateMapper();
        var token = await ValidateAsync($"{NameMember("Alice")},{RolesMember(["admin"])},\"email\":\"a@x.test\",\"scope\":\"read write\"", shared, issuer);

        foreach (var identity in new[] { mapper.CreateIdentity(token, "Bearer"), mapper.CreateIdentity(token, "Bearer") })
        {
            Assert.NotEmpty(identity.Claims);
            Assert.All(identity.Claims, claim =>
            {
                Assert.Equal(issuer, claim.Issuer);
                Assert.Equal(issuer, claim.OriginalIssuer);
            });
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mapping_a_token_twice_gives_independent_identities_with_equal_claims(bool shared)
    {
        var mapper = CreateMapper();
        var token = await ValidateAsync($"{NameMember("Alice")},{RolesMember(["admin", "user"])},\"email\":\"a@x.test\"", shared);

        var first = mapper.CreateIdentity(token, "Bearer");
        var original = Describe(first);
        var second = mapper.CreateIdentity(token, "Bearer");

        Assert.NotSame(first, second);
        Assert.Equal(original, Describe(second));
        Assert.All(first.Claims, claim => Assert.Same(first, claim.Subject));
        Assert.All(second.Claims, claim => Assert.Same(second, claim.Subject));
        Assert.DoesNotContain(second.Claims, claim => first.Claims.Contains(claim));

        // What one request does to its identity never shows in another's.
        first.AddClaim(new Claim(RoleClaimType, "injected", ClaimValueTypes.String, TestJwt.Issuer));
        first.RemoveClaim(first.FindFirst(NameClaimType));
        first.Claims.First().Properties["touched"] = "yes";
        first.Label = "edited";
        first.Actor = new ClaimsIdentity("actor");
        var third = mapper.CreateIdentity(token, "Bearer");

        Assert.Equal(original, Describe(second));
        Assert.Equal(original, Describe(third));
        Assert.False(new ClaimsPrincipal(second).IsInRole("injected"));
        Assert.False(new ClaimsPrincipal(third).IsInRole("injected"));
        Assert.Equal("Alice", third.Name);
        Assert.Null(third.Label);
        Assert.Null(third.Actor);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Name_and_roles_read_the_claim_types_the_mapper_declares(bool shared)
    {
        var mapper = CreateMapper();
        var token = await ValidateAsync($"{NameMember("Alice Example")},{RolesMember(["admin", "ops team"])}", shared);

        foreach (var identity in new[] { mapper.CreateIdentity(token, "Bearer"), mapper.CreateIdentity(token, "Bearer") })
        {
            var principal = new ClaimsPrincipal(identity);
            Assert.Equal(NameClaimType, identity.NameClaimType);
            Assert.Equal(RoleClaimType, identity.RoleClaimType);
            Assert.Equal("Alice Example", identity.Name);
            Assert.Equal("Alice Example", principal.Identity!.Name);
            Assert.True(principal.IsInRole("admin"));
            Assert.True(principal.IsInRole("ops team"));
            Assert.False(principal.IsInRole("Admin"));
            Assert.False(principal.IsInRole("ops"));
            Assert.False(principal.IsInRole("Alice Example"));
        }
    }

    [Theory]
    [MemberData(nameof(UnusualPayloads), MemberType = typeof(ClaimsMapperContract))]
    public async Task An_unusual_payload_never_throws_and_gives_an_authenticated_identity(string extraPayload)
    {
        var mapper = CreateMapper();
        foreach (var shared in new[] { false, true })
        {
            var token = await ValidateAsync(extraPayload, shared);

            var first = mapper.CreateIdentity(token, "Bearer");
            var second = mapper.CreateIdentity(token, "Bearer");

            Assert.True(first.IsAuthenticated);
            Assert.Contains(first.Claims, claim => claim.Type == "sub" && claim.Value == "user-1");
            Assert.All(first.Claims, claim => Assert.Equal(TestJwt.Issuer, claim.Issuer));
            Assert.Equal(Describe(first), Describe(second));
            _ = first.Name;
            _ = new ClaimsPrincipal(first).IsInRole("admin");
        }
    }

    /// <summary>A token validated with <paramref name="extraPayload"/>, and shared as the repeat-token cache shares it when <paramref name="shared"/>.</summary>
    private protected static async Task<ValidatedToken> ValidateAsync(string extraPayload, bool shared, string issuer = TestJwt.Issuer)
    {
        var token = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, extraPayload.Length == 0 ? null : extraPayload, issuer));
        var result = await Validator.ValidateAsync(token, TestContext.Current.CancellationToken);
        Assert.Equal(TokenFailureReason.None, result.Failure);
        Assert.False(result.Token!.IsShared);
        return shared ? result.Token.Share() : result.Token;
    }

    private static (string Type, string Value, string ValueType, string Issuer, string OriginalIssuer, int Properties)[] Describe(ClaimsIdentity identity) =>
        [.. identity.Claims.Select(c => (c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer, c.Properties.Count))];
}
