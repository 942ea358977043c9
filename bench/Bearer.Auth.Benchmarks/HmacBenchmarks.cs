using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// HS256 verification of a typical signing input alone: the one-shot <see cref="HMACSHA256.HashData(byte[], byte[])"/>
/// the key used before (a new keyed context per call, the baseline) against <see cref="SymmetricVerificationKey"/>'s pooled
/// keyed <see cref="IncrementalHash"/>.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class HmacBenchmarks
{
    private byte[] _key = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;
    private VerificationKey _pooled = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var tokens = BenchTokens.Create(JwsAlgorithms.HS256);
        var token = tokens.Token;
        _signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        _key = RandomNumberGenerator.GetBytes(32);
        _signature = HMACSHA256.HashData(_key, _signingInput);
        _pooled = VerificationKey.Symmetric(_key);
        BenchSetup.Check(OneShot() && Pooled(), "HMAC");
    }

    [Benchmark(Baseline = true)]
    public bool OneShot()
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, _signingInput, mac);
        return CryptographicOperations.FixedTimeEquals(mac, _signature);
    }

    [Benchmark]
    public bool Pooled() => _pooled.Verify(_signingInput, _signature);
}
