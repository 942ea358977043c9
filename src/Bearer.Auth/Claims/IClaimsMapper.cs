using System.Security.Claims;

namespace Bearer.Auth;

/// <summary>
/// Turns a validated token into the <see cref="ClaimsIdentity"/> the application sees. Replace the default by
/// registering an implementation in DI or setting the scheme's <c>ClaimsMapper</c> option.
/// </summary>
public interface IClaimsMapper
{
    /// <summary>Creates the identity for <paramref name="token"/>.</summary>
    /// <param name="token">The validated token.</param>
    /// <param name="authenticationType">The authentication type (the scheme name).</param>
    /// <returns>An authenticated identity.</returns>
    ClaimsIdentity CreateIdentity(ValidatedToken token, string authenticationType);
}
