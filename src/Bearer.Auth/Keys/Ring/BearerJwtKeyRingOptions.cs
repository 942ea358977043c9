using System.Globalization;

namespace Bearer.Auth;

/// <summary>
/// How a <see cref="SigningKeyRing"/> creates and rotates its keys. A key is created
/// <see cref="PublicationLead"/> (or more) before it signs, signs for <see cref="RotationInterval"/>, then stays
/// published for <see cref="RetentionAfterRetirement"/> so the tokens it signed keep verifying until they expire.
/// </summary>
public sealed class BearerJwtKeyRingOptions
{
    /// <summary>The longest accepted duration for any setting (10 years): beyond it, end times stop being representable.</summary>
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(3650);

    /// <summary>
    /// Gets or sets the algorithm of the keys the ring creates: one of <see cref="JwsAlgorithms.All"/>. Default
    /// <c>ES256</c>. An HMAC algorithm (<c>HS*</c>) works for a ring only the application itself verifies with: a
    /// shared secret is never published, so <see cref="Jwks.Write(IEnumerable{VerificationKey})"/> refuses its keys.
    /// </summary>
    public string Algorithm { get; set; } = JwsAlgorithms.ES256;

    /// <summary>Gets or sets how long a key signs before the next one takes over. Default 30 days.</summary>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Gets or sets how long, at least, a new key is published before it signs. It must exceed how long the
    /// validators of your tokens cache your JWKS (and <see cref="RefreshInterval"/>, so every instance sharing the
    /// store has read the key before it signs). Default 2 hours.
    /// </summary>
    public TimeSpan PublicationLead { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Gets or sets how long a key stays published after it stops signing: at least the longest access-token lifetime
    /// plus the validators' clock skew, so no token outlives the key that verifies it
    /// (<see cref="BearerJwtTokenIssuer"/> refuses a lifetime the retention does not cover). Default 1 day.
    /// </summary>
    public TimeSpan RetentionAfterRetirement { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets or sets how often the ring re-reads its store, so it sees the keys other instances created. A token naming
    /// a <c>kid</c> the ring does not know also re-reads it, at most once every 10 seconds. Default 1 minute.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Lists what is wrong with these settings, one message per problem, each naming the setting and the value read
    /// (for <c>ValidateOptionsResult.Fail</c>).
    /// </summary>
    /// <returns>The problems; empty when the settings are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (JwsAlgorithms.Find(Algorithm) is null)
        {
            problems.Add($"BearerJwtKeyRingOptions.Algorithm must be one of {string.Join(", ", JwsAlgorithms.All)}, not {(Algorithm is null ? "null" : $"'{Algorithm}'")}.");
        }

        void Check(bool bad, string setting, TimeSpan value, string rule)
        {
            if (bad)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"BearerJwtKeyRingOptions.{setting} is {value:c}; {rule}"));
            }
        }

        Check(RotationInterval <= TimeSpan.Zero || RotationInterval > MaxDuration, nameof(RotationInterval), RotationInterval, "it must be greater than zero and at most 3650 days.");
        Check(PublicationLead <= TimeSpan.Zero || PublicationLead > MaxDuration, nameof(PublicationLead), PublicationLead, "it must be greater than zero and at most 3650 days.");
        Check(RetentionAfterRetirement <= TimeSpan.Zero || RetentionAfterRetirement > MaxDuration, nameof(RetentionAfterRetirement), RetentionAfterRetirement, "it must be greater than zero and at most 3650 days.");
        Check(RefreshInterval <= TimeSpan.Zero || RefreshInterval > TimeSpan.FromDays(1), nameof(RefreshInterval), RefreshInterval, "it must be greater than zero and at most 1 day.");
        Check(
            PublicationLead > TimeSpan.Zero && RefreshInterval > TimeSpan.Zero && PublicationLead <= RefreshInterval,
            nameof(PublicationLead),
            PublicationLead,
            string.Create(CultureInfo.InvariantCulture, $"it must exceed RefreshInterval ({RefreshInterval:c}), so every instance sharing the store reads a new key before it signs."));
        Check(
            RotationInterval > TimeSpan.Zero && PublicationLead > TimeSpan.Zero && RotationInterval <= PublicationLead,
            nameof(RotationInterval),
            RotationInterval,
            string.Create(CultureInfo.InvariantCulture, $"it must exceed PublicationLead ({PublicationLead:c}): a key that signs for less time than its successor is published ahead would keep the ring creating keys."));
        return problems;
    }
}
