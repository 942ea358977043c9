using System.Text.Json;

namespace Bearer.Auth.Tests.Claims;

/// <summary>
/// <see cref="JwtClaimsMapper"/> with its own name and role claim types and role claim paths (roles read from a nested
/// <c>realm_access.roles</c> and a top-level <c>groups</c>) meets the <see cref="ClaimsMapperContract"/>.
/// </summary>
public sealed class RolePathJwtClaimsMapperContractTests : ClaimsMapperContract
{
    protected override string NameClaimType => "preferred_username";

    protected override string RoleClaimType => "app_role";

    protected override IClaimsMapper CreateMapper() => new JwtClaimsMapper(NameClaimType, RoleClaimType, ["realm_access.roles", "groups"]);

    protected override string NameMember(string name) => $"\"name\":\"Not the name\",\"preferred_username\":{JsonSerializer.Serialize(name)}";

    protected override string RolesMember(IReadOnlyList<string> roles) => $"\"realm_access\":{{\"roles\":{JsonSerializer.Serialize(roles)}}}";
}
