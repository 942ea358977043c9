using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Bounds;

/// <summary>
/// The kid-less candidate bound (at most 8 signature checks, <see cref="JwsVerifier.MaxCandidatesWithoutKeyId"/>) is
/// counted in <c>KidlessCandidateBoundTests</c>; this pins the other half of a forged kid-less token's cost against a
/// 6,000-key set: the heap it allocates does not grow with the set (no per-request candidate list, no copy of the keys).
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class KidlessKeySetAllocationTests
{
    [Fact]
    public void A_kidless_token_against_6000_configured_keys_costs_what_it_costs_against_one()
    {
        using var small = AllocationProbe.Uncached(o => Configure(o, 1));
        using var large = AllocationProbe.Uncached(o => Configure(o, 6_000));
        var forged = TestJwt.Hs(RandomNumberGenerator.GetBytes(32), small.ValidPayload());

        var againstOne = AllocationProbe.Allocated(small.Validator, forged, TokenFailureReason.SignatureInvalid);
        var againstMany = AllocationProbe.Allocated(large.Validator, forged, TokenFailureReason.KeyNotFound);

        Assert.InRange(againstMany, 0, againstOne);
    }

    private static void Configure(BearerJwtOptions options, int keys)
    {
        options.VerificationKeys.Clear();
        for (var i = 0; i < keys; i++)
        {
            options.VerificationKeys.Add(VerificationKey.Symmetric(RandomNumberGenerator.GetBytes(32), JwsAlgorithms.HS256));
        }
    }
}
