using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Claims;

/// <summary>
/// The sample <see cref="TenantClaimsMapper"/>, an application's extension of the built-in mapping, meets the
/// <see cref="ClaimsMapperContract"/> and adds its claim once per identity.
/// </summary>
public sealed class TenantClaimsMapperContractTests : ClaimsMapperContract
{
    protected override IClaimsMapper CreateMapper() => new TenantClaimsMapper(new JwtClaimsMapper());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_added_claim_is_there_once_per_identity_with_the_token_issuer(bool shared)
    {
        var mapper = CreateMapper();
        var token = await ValidateAsync("\"name\":\"Alice\"", shared);

        var first = mapper.CreateIdentity(token, "Bearer");
        var second = mapper.CreateIdentity(token, "Bearer");

        foreach (var identity in new[] { first, second })
        {
            var tenant = Assert.Single(identity.FindAll(TenantClaimsMapper.TenantClaimType));
            Assert.Equal("issuer.test", tenant.Value);
            Assert.Equal(TestJwt.Issuer, tenant.Issuer);
            Assert.Equal("Alice", identity.Name);
        }
    }
}
