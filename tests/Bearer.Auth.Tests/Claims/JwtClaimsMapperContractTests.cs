namespace Bearer.Auth.Tests.Claims;

/// <summary>The default <see cref="JwtClaimsMapper"/> (name from <c>name</c>, roles from <c>role</c>/<c>roles</c>) meets the <see cref="ClaimsMapperContract"/>.</summary>
public sealed class JwtClaimsMapperContractTests : ClaimsMapperContract
{
    protected override IClaimsMapper CreateMapper() => new JwtClaimsMapper();
}
