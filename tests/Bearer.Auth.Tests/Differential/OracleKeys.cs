using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace Bearer.Auth.Tests.Differential;

/// <summary>
/// One key per supported algorithm, each with its own <c>kid</c>, held three ways over the same material: our
/// <see cref="SigningKey"/> (to re-sign mutated tokens), our <see cref="VerificationKey"/> (for our validator), and
/// Microsoft.IdentityModel's keys (a private one to mint with, and the published JWKS or the secret to verify with).
/// </summary>
/// <remarks>
/// The RS*/PS* keys share the run's one RSA pair (<see cref="SignedTokens.RsaPair"/>; generating more costs seconds),
/// which also means a key bound to one RSA algorithm holds material that verifies another: exactly the case where our
/// one-algorithm-per-key rule (RFC 8725 §3.1) and IdentityModel part ways.
/// </remarks>
internal sealed class OracleKeys
{
    private static readonly Lazy<OracleKeys> Shared = new(() => new OracleKeys());

    private OracleKeys()
    {
        var keys = new List<AlgorithmKey>();
        var curves = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        foreach (var algorithm in JwsAlgorithms.All)
        {
            var kid = "k-" + algorithm;
            SigningKey ours;
            SecurityKey minting;
            switch (algorithm[0])
            {
                case 'H':
                    var secret = RandomNumberGenerator.GetBytes(SignedTokens.HashSizeOf(algorithm));
                    ours = SigningKey.Symmetric(secret, algorithm, kid);
                    minting = new SymmetricSecurityKey(secret) { KeyId = kid };
                    break;
                case 'E':
                    var ecdsa = ECDsa.Create(SignedTokens.CurveOf(algorithm));
                    curves[algorithm] = ecdsa;
                    ours = SigningKey.Ecdsa(ecdsa, algorithm, kid);
                    minting = new ECDsaSecurityKey(ecdsa) { KeyId = kid };
                    break;
                default:
                    var rsa = SignedTokens.NewRsa();
                    ours = SigningKey.Rsa(rsa, algorithm, kid);
                    minting = new RsaSecurityKey(rsa) { KeyId = kid };
                    break;
            }

            // Other tests dispose RSA objects holding the same shared pair: never reuse a provider cached for theirs.
            minting.CryptoProviderFactory = NoCache();
            var verification = ours.ToVerificationKey();
            var microsoft = SignedTokens.MicrosoftKeysFor(ours);
            foreach (var key in microsoft)
            {
                key.CryptoProviderFactory = NoCache();
            }

            keys.Add(new AlgorithmKey(algorithm, kid, ours, verification, minting, microsoft));
        }

        All = keys;
    }

    internal static OracleKeys Instance => Shared.Value;

    internal IReadOnlyList<AlgorithmKey> All { get; }

    internal AlgorithmKey For(string algorithm) => All.First(k => k.Algorithm == algorithm);

    internal AlgorithmKey? ByKeyId(string? kid) => All.FirstOrDefault(k => k.KeyId == kid);

    internal static CryptoProviderFactory NoCache() => new() { CacheSignatureProviders = false };
}
