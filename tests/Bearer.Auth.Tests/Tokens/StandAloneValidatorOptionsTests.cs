using System.Security.Cryptography;
using Bearer.Auth.Keys;
using Bearer.Auth.Tests.Support;
using Bearer.Auth.Tokens;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// A validator created without the ASP.NET Core registration gets the same start-up checks, so options that would
/// weaken it (or that it would silently ignore) are refused when it is created.
/// </summary>
public sealed class StandAloneValidatorOptionsTests
{
    [Fact]
    public void Clock_skew_over_five_minutes_is_refused()
    {
        var options = ValidOptions();
        options.ClockSkew = TimeSpan.FromDays(365);

        var error = Assert.Throws<ArgumentException>(() => new BearerTokenValidator(options));

        Assert.Contains("BearerJwtOptions.ClockSkew", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_without_keys_are_refused()
    {
        var options = new BearerJwtOptions { ValidIssuer = TestJwt.Issuer, ValidAudience = TestJwt.Audience };

        var error = Assert.Throws<ArgumentException>(() => new BearerTokenValidator(options));

        Assert.Contains("BearerJwtOptions.SigningKeys", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Jwks")]
    [InlineData("Authority")]
    public void Key_sources_only_the_registration_reads_are_refused_instead_of_ignored(string setting)
    {
        var options = ValidOptions();
        if (setting == "Jwks")
        {
            options.Jwks = """{"keys":[]}""";
        }
        else
        {
            options.Authority = "https://login.example";
        }

        var error = Assert.Throws<ArgumentException>(() => new BearerTokenValidator(options));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_create_a_validator()
    {
        Assert.NotNull(new BearerTokenValidator(ValidOptions()));
    }

    private static BearerJwtOptions ValidOptions()
    {
        var options = new BearerJwtOptions { ValidIssuer = TestJwt.Issuer, ValidAudience = TestJwt.Audience };
        options.SigningKeys.Add(SigningKey.Symmetric(RandomNumberGenerator.GetBytes(32)));
        return options;
    }
}
