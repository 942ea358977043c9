namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// <see cref="TokenValidationContext"/> built by a caller outside HTTP: what it is given comes back unchanged, and
/// <see langword="default"/> says nothing about a request.
/// </summary>
public sealed class TokenValidationContextTests
{
    [Fact]
    public void Values_given_by_initializers_come_back_unchanged()
    {
        var context = new TokenValidationContext
        {
            Source = TokenSource.Cookie,
            Method = "PUT",
            Url = "https://api.example/orders/7",
            DPoPProof = "header.payload.signature",
        };

        Assert.Equal(TokenSource.Cookie, context.Source);
        Assert.Equal("PUT", context.Method);
        Assert.Equal("https://api.example/orders/7", context.Url);
        Assert.Equal("header.payload.signature", context.DPoPProof);
    }

    [Fact]
    public void Default_has_source_Unspecified_and_no_request_facts()
    {
        TokenValidationContext context = default;

        Assert.Equal(TokenSource.Unspecified, context.Source);
        Assert.Null(context.Method);
        Assert.Null(context.Url);
        Assert.Null(context.DPoPProof);
        Assert.Equal(context, new TokenValidationContext());
    }

    [Fact]
    public void With_replaces_only_the_value_it_names()
    {
        var context = new TokenValidationContext { Source = TokenSource.QueryString, Url = "https://api.example/hub" };

        var changed = context with { Method = "GET" };

        Assert.Equal(TokenSource.QueryString, changed.Source);
        Assert.Equal("https://api.example/hub", changed.Url);
        Assert.Equal("GET", changed.Method);
    }
}
