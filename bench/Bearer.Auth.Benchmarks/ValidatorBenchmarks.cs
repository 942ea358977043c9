using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MsValidationResult = Microsoft.IdentityModel.Tokens.TokenValidationResult;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// Validation only, per algorithm, on the same token: the BCL floor (baseline), ours, and Microsoft's
/// <see cref="JsonWebTokenHandler"/> with equivalent parameters (issuer, audience, lifetime, signature, same key).
/// The <c>*_Principal</c> rows add principal construction, reported separately.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ValidatorBenchmarks
{
    private BenchTokens _tokens = null!;
    private BearerJwtValidator _validator = null!;
    private JwtClaimsMapper _mapper = null!;
    private JsonWebTokenHandler _microsoft = null!;
    private TokenValidationParameters _parameters = null!;

    [Params("HS256", "RS256", "PS256", "ES256")]
    public string Alg { get; set; } = "HS256";

    [GlobalSetup]
    public void Setup()
    {
        _tokens = BenchTokens.Create(Alg);
        _validator = new BearerJwtValidator(BenchSetup.OurSettings(_tokens));
        _mapper = new JwtClaimsMapper();
        _microsoft = new JsonWebTokenHandler();
        _parameters = BenchSetup.MicrosoftParameters(_tokens);
        BenchSetup.Check(Floor(), "floor");
        BenchSetup.Check(Ours().Succeeded, "ours");
        BenchSetup.Check(Microsoft().IsValid, "Microsoft");
        BenchSetup.Check(Ours_Principal().Identity!.IsAuthenticated, "ours principal");
        BenchSetup.Check(Microsoft_Principal().Identity!.IsAuthenticated, "Microsoft principal");
    }

    [GlobalCleanup]
    public void Cleanup() => _tokens.Dispose();

    [Benchmark(Baseline = true)]
    public bool Floor() => _tokens.Floor(_tokens.Token);

    [Benchmark]
    public TokenValidationResult Ours() => BenchSetup.Wait(_validator.ValidateAsync(_tokens.Token));

    [Benchmark]
    public MsValidationResult Microsoft() => _microsoft.ValidateTokenAsync(_tokens.Token, _parameters).GetAwaiter().GetResult();

    [Benchmark]
    public ClaimsPrincipal Ours_Principal()
    {
        var result = BenchSetup.Wait(_validator.ValidateAsync(_tokens.Token));
        return new ClaimsPrincipal(_mapper.CreateIdentity(result.Token!, "Bearer"));
    }

    [Benchmark]
    public ClaimsPrincipal Microsoft_Principal()
    {
        var result = _microsoft.ValidateTokenAsync(_tokens.Token, _parameters).GetAwaiter().GetResult();
        return new ClaimsPrincipal(result.ClaimsIdentity);
    }
}
