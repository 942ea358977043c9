namespace Bearer.Auth;

/// <summary>
/// The one rule of a subject revocation ("every token of this subject issued before now"), shared by every store: an
/// <c>iat</c> with a fraction compares exactly; a whole-second <c>iat</c> (what nearly every issuer writes, this
/// library's too) in the revocation's own second cannot say whether it came before or after, and counts as after, so a
/// sign-in right after "sign out everywhere" is never refused. Tokens of that second issued just before are ended by
/// revoking their sessions (<c>sid</c>) too, as the sample's logout-all does.
/// </summary>
internal static class SubjectRevocation
{
    /// <summary>Whether a token issued at <paramref name="issuedAt"/> is refused by a subject revocation made at <paramref name="since"/> (UTC ticks).</summary>
    internal static bool IssuedBefore(DateTimeOffset issuedAt, long since)
    {
        var ticks = issuedAt.UtcTicks;
        return ticks % TimeSpan.TicksPerSecond == 0
            ? ticks < since - (since % TimeSpan.TicksPerSecond)
            : ticks < since;
    }
}
