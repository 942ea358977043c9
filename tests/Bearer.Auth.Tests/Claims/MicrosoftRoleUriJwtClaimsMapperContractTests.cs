using System.Security.Claims;
using System.Text.Json;

namespace Bearer.Auth.Tests.Claims;

/// <summary>
/// The default <see cref="JwtClaimsMapper"/> meets the <see cref="ClaimsMapperContract"/> when a token carries its roles
/// under Microsoft's role claim type URI (<see cref="ClaimTypes.Role"/>), as tokens minted from .NET claims do: they
/// are roles of the configured role claim type, for a token seen once and one the repeat-token cache shares.
/// </summary>
public sealed class MicrosoftRoleUriJwtClaimsMapperContractTests : ClaimsMapperContract
{
    protected override IClaimsMapper CreateMapper() => new JwtClaimsMapper();

    protected override string RolesMember(IReadOnlyList<string> roles) => $"{JsonSerializer.Serialize(ClaimTypes.Role)}:{JsonSerializer.Serialize(roles)}";
}
