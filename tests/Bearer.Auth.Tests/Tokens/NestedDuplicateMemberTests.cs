using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 8725 §3.7 at every depth: a member name repeated inside a nested object of the header or payload, in any
/// spelling, is <c>member_duplicate</c>, as at the top level. First-wins and last-wins JSON readers would otherwise
/// read different values (<c>"realm_access":{"roles":["admin"],"roles":["user"]}</c>: different roles). The same
/// name in different objects, or differing in case, is no repetition.
/// </summary>
public sealed class NestedDuplicateMemberTests
{
    private const string Header = """{"alg":"HS256","kid":"hs"}""";

    public static TheoryData<string> NestedDuplicatePayloadMembers =>
    [
        """ "realm_access":{"roles":["admin"],"roles":["user"]} """,
        """ "resource_access":{"account":{"roles":["admin"],"roles":["user"]}} """,
        """ "resource_access":{"account":{"roles":["a"]},"account":{"roles":["b"]}} """,
        """ "a":{"b":{"c":{"d":{"e":1,"e":2}}}} """,
        """ "a":{"x":1,"b":{"c":[{"d":{"y":1,"z":{"w":0}}}],"c":2}} """,
        """ "groups":[{"id":1,"id":2}] """,
        """ "groups":[{"id":1},{"id":2},{"id":3,"name":"x","id":4}] """,
        """ "m":[[[{"k":1,"k":1}]]] """,
        """ "m":[1,"s",null,{"k":[{"n":1,"n":2}]}] """,
        """ "realm_access":{"roles":["admin"],"\u0072oles":["user"]} """,
        """ "o":{"a":1,"\u0061":2} """,
        """ "o":{"\u0061":1,"a":2} """,
        """ "o":{"\u00e9":1,"é":2} """,
        """ "o":{"a/b":1,"a\/b":2} """,
        """ "o":{"":1,"":2} """,
        """ "o":{"a_long_member_name_past_eight_bytes":1,"a_long_member_name_past_eight_byte\u0073":2} """,
        """ "exp2":{"x":1},"o":{"y":{"z":1,"z":1}} """,
    ];

    /// <summary>Duplicates inside the values of registered claims, which are read by their own code paths.</summary>
    public static TheoryData<string, string> NestedDuplicatesInRegisteredClaims => new()
    {
        { "aud", """["api://test",{"x":1,"x":2}]""" },
        { "aud", """[{"x":[{"y":1,"y":2}]}]""" },
        { "aud", """{"x":1,"x":2}""" },
        { "exp", """{"x":1,"x":2}""" },
        { "nbf", """[{"x":1,"x":2}]""" },
        { "iat", """{"a":{"x":1,"x":2}}""" },
        { "iss", """{"x":1,"x":2}""" },
        { "sub", """[{"x":1,"x":2}]""" },
    };

    public static TheoryData<string> NestedDuplicateHeaders =>
    [
        """{"alg":"HS256","kid":"hs","jwk":{"kty":"oct","kty":"RSA"}}""",
        """{"alg":"HS256","kid":"hs","x":{"a":{"b":[{"c":1,"c":2}]}}}""",
        """{"alg":"HS256","kid":"hs","x5c":[{"a":1,"\u0061":2}]}""",
        """{"alg":"HS256","kid":"hs","ext":{"alg":"HS256","alg":"none"}}""",
        """{"alg":"HS256","kid":"hs","crit":[{"x":1,"x":2}]}""",
    ];

    /// <summary>The same name in sibling, parent and child objects, case variants, and names sharing a prefix: all distinct.</summary>
    public static TheoryData<string> NearDuplicatePayloadMembers =>
    [
        """ "realm_access":{"roles":["admin"]},"resource_access":{"roles":["user"]} """,
        """ "roles":["a"],"realm_access":{"roles":["b"],"x":{"roles":["c"]}} """,
        """ "o":{"a":{"a":{"a":1}}} """,
        """ "groups":[{"id":1},{"id":2},{"id":3}] """,
        """ "o":{"a":1,"A":2,"\u00c0":3,"ab":4,"a ":5,"b":{"a":6}} """,
        """ "o":{"a":1},"p":{"a":1},"q":[{"a":1},{"a":1}] """,
        """ "o":{"iss":"x","exp":1,"aud":[],"sub":null} """,
        """ "o":{},"p":{},"q":[{},{}] """,
    ];

    [Theory]
    [MemberData(nameof(NestedDuplicatePayloadMembers))]
    public async Task A_name_repeated_in_a_nested_payload_object_is_refused(string extra)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(extra.Trim()), headerJson: Header)));
    }

    [Theory]
    [MemberData(nameof(NestedDuplicatesInRegisteredClaims))]
    public async Task A_name_repeated_inside_a_registered_claims_value_is_a_duplicate_not_just_a_claim_error(string claim, string value)
    {
        using var fixture = new ValidatorFixture();
        var payload = RawJwt.WithClaim(fixture.ValidPayload(), claim, value);

        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, payload, headerJson: Header)));
    }

    [Theory]
    [MemberData(nameof(NestedDuplicateHeaders))]
    public async Task A_name_repeated_in_a_nested_header_object_is_refused_before_key_lookup(string header)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);

        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: header)));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Theory]
    [MemberData(nameof(NearDuplicatePayloadMembers))]
    public async Task The_same_name_in_different_objects_or_a_different_spelling_is_no_duplicate(string extra)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(extra.Trim()), headerJson: Header)));
    }

    [Fact]
    public async Task Nested_objects_in_the_header_that_share_names_with_each_other_are_accepted()
    {
        using var fixture = new ValidatorFixture();
        var header = """{"alg":"HS256","kid":"hs","x":{"alg":"a","kid":"b","y":{"alg":"c"}},"z":[{"alg":1},{"alg":2}]}""";

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: header)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(62)]
    [InlineData(63)]
    public async Task A_duplicate_at_any_depth_within_the_depth_limit_is_refused(int depth)
    {
        using var fixture = new ValidatorFixture();

        // The payload object is depth 1, so the innermost object here sits at depth + 1 (at most the limit, 64).
        var repeated = fixture.ValidPayload($"\"deep\":{string.Concat(Enumerable.Repeat("{\"a\":", depth - 1))}{{\"k\":1,\"k\":2}}{new string('}', depth - 1)}");
        var distinct = fixture.ValidPayload($"\"deep\":{string.Concat(Enumerable.Repeat("{\"a\":", depth - 1))}{{\"k\":1,\"l\":2}}{new string('}', depth - 1)}");

        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, repeated, headerJson: Header)));
        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, distinct, headerJson: Header)));
    }

    [Fact]
    public async Task A_thousand_nested_objects_reusing_one_name_are_accepted_and_a_repeat_in_the_last_is_found()
    {
        using var fixture = new ValidatorFixture();
        var objects = string.Join(',', Enumerable.Range(0, 1000).Select(_ => "{\"a\":1}"));
        var wide = fixture.ValidPayload($"\"groups\":[{objects}]");
        var wideWithDuplicate = fixture.ValidPayload($"\"groups\":[{objects},{{\"a\":1,\"a\":2}}]");

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, wide, headerJson: Header)));
        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, wideWithDuplicate, headerJson: Header)));
    }
}
