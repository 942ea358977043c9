using Microsoft.IdentityModel.Tokens;

namespace Bearer.Auth.Tests.Differential;

/// <summary>One algorithm's key, as each side holds it.</summary>
internal sealed record AlgorithmKey(
    string Algorithm,
    string KeyId,
    SigningKey Signing,
    VerificationKey Verification,
    SecurityKey MicrosoftMinting,
    IList<SecurityKey> MicrosoftVerification);
