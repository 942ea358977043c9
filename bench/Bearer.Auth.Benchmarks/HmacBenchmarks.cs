using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// HS256 verification of a typical signing input alone: the one-shot <see cref="HMACSHA256.HashData(byte[], byte[])"/>
/// (a new keyed context per call, the baseline) against <see cref="SymmetricVerificationKey"/>, which reuses keyed
/// <see cref="IncrementalHash"/> contexts from the shared framework's object pool, and a bare
/// <see cref="Microsoft.Extensions.ObjectPool.DefaultObjectPool{T}"/> doing the same (what the key's pool costs).
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
    private Microsoft.Extensions.ObjectPool.ObjectPool<IncrementalHash> _objectPool = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var tokens = BenchTokens.Create(JwsAlgorithms.HS256);
        var token = tokens.Token;
        _signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        _key = RandomNumberGenerator.GetBytes(32);
        _signature = HMACSHA256.HashData(_key, _signingInput);
        _pooled = VerificationKey.Symmetric(_key);
        _objectPool = new Microsoft.Extensions.ObjectPool.DefaultObjectPool<IncrementalHash>(new HmacPolicy(_key), Environment.ProcessorCount * 2);
        BenchSetup.Check(OneShot() && Pooled() && ObjectPool(), "HMAC");
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

    [Benchmark]
    public bool ObjectPool()
    {
        Span<byte> mac = stackalloc byte[32];
        var hmac = _objectPool.Get();
        hmac.AppendData(_signingInput);
        hmac.TryGetHashAndReset(mac, out _);
        _objectPool.Return(hmac);
        return CryptographicOperations.FixedTimeEquals(mac, _signature);
    }

    /// <summary>The three ways side by side, paired (<c>dotnet Bearer.Auth.Benchmarks.dll hmac [rounds]</c>).</summary>
    public static void RunPaired(int rounds)
    {
        var benchmarks = new HmacBenchmarks();
        benchmarks.Setup();
        var cases = new (string Name, Func<bool> Call)[]
        {
            ("OneShot", benchmarks.OneShot),
            ("Key (SymmetricVerificationKey.Verify)", benchmarks.Pooled),
            ("Bare DefaultObjectPool", benchmarks.ObjectPool),
        };
        PairedSampler.WarmUp(cases, TimeSpan.FromSeconds(1));
        var samples = PairedSampler.Sample(cases, rounds, 40, GC.GetAllocatedBytesForCurrentThread);
        Console.WriteLine($"hmac: {rounds} rounds, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| case | median ns/op | min ns/op | B/op |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        for (var c = 0; c < cases.Length; c++)
        {
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"| {cases[c].Name} | {samples[c].MedianNanoseconds:N0} | {samples[c].MinNanoseconds:N0} | {samples[c].BytesPerCall:N0} |"));
        }
    }

    private sealed class HmacPolicy(byte[] key) : Microsoft.Extensions.ObjectPool.PooledObjectPolicy<IncrementalHash>
    {
        public override IncrementalHash Create() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

        public override bool Return(IncrementalHash obj) => true;
    }
}
