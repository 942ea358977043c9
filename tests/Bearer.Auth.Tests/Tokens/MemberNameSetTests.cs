using System.Text;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>Duplicate-member detection stays exact as the table grows, and a wide payload is read in one pass.</summary>
public sealed class MemberNameSetTests
{
    [Fact]
    public void Every_distinct_hash_is_added_once_and_every_repeat_is_found_after_growth()
    {
        var set = new MemberNameSet(stackalloc ulong[16]);
        try
        {
            for (ulong i = 1; i <= 5000; i++)
            {
                Assert.True(set.TryAdd(i * 0x9E3779B97F4A7C15UL));
            }

            for (ulong i = 1; i <= 5000; i++)
            {
                Assert.False(set.TryAdd(i * 0x9E3779B97F4A7C15UL));
            }
        }
        finally
        {
            set.Dispose();
        }
    }

    [Fact]
    public void One_name_in_thousands_of_objects_is_kept_apart_per_object_without_crowding_the_table()
    {
        var set = new MemberNameSet(stackalloc ulong[32]);
        try
        {
            // What "groups":[{"id":..},{"id":..},...] adds: the same name once in each of 4,000 nested objects.
            var id = MemberNameSet.Hash("id"u8);
            Assert.True(set.TryAdd(id));
            var objects = new int[4000];
            for (var i = 0; i < objects.Length; i++)
            {
                objects[i] = set.OpenObject();
                Assert.True(set.TryAdd(id, objects[i]));
            }

            foreach (var objectId in objects)
            {
                Assert.False(set.TryAdd(id, objectId));
            }

            Assert.False(set.TryAdd(id, 0));
            Assert.True(set.LongestRun() < 100, $"longest run {set.LongestRun()}");
        }
        finally
        {
            set.Dispose();
        }
    }

    [Fact]
    public void Distinct_short_names_never_share_a_hash_and_the_same_name_always_does()
    {
        var set = new MemberNameSet(stackalloc ulong[16]);
        try
        {
            // Every name of up to two characters over a small alphabet, and names either side of the eight-byte switch.
            var names = new List<string> { string.Empty, "abcdefg", "abcdefgx", "abcdefgh", "abcdefghi", "abcdefg\0" };
            const string alphabet = "aesx0_\u0000~";
            foreach (var first in alphabet)
            {
                names.Add(first.ToString());
                foreach (var second in alphabet)
                {
                    names.Add(string.Concat(first, second));
                }
            }

            foreach (var name in names)
            {
                Assert.True(set.TryAdd(MemberNameSet.Hash(Encoding.UTF8.GetBytes(name))), name);
            }

            foreach (var name in names)
            {
                Assert.False(set.TryAdd(MemberNameSet.Hash(Encoding.UTF8.GetBytes(name))), name);
            }
        }
        finally
        {
            set.Dispose();
        }
    }

    [Fact]
    public async Task A_duplicate_after_a_thousand_distinct_members_is_still_refused()
    {
        using var fixture = new ValidatorFixture();
        var wide = new StringBuilder();
        for (var i = 0; i < 1000; i++)
        {
            wide.Append('"').Append('m').Append(i).Append("\":0,");
        }

        var distinct = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(wide.ToString().TrimEnd(',')), headerJson: """{"alg":"HS256","kid":"hs"}""");
        var repeated = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(wide + "\"m500\":1"), headerJson: """{"alg":"HS256","kid":"hs"}""");

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(distinct));
        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(repeated));
    }
    [Fact]
    public void Names_chosen_to_share_a_slot_under_an_unseeded_hash_do_not_crowd_the_table()
    {
        // 1,150 five-letter names whose slot bits are all zero under the hash without the per-process seed: unseeded,
        // they form one run and every insert walks it (quadratic, before any signature check).
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var set = new MemberNameSet(stackalloc ulong[32]);
        var name = new byte[5];
        var added = 0;
        for (long i = 0; added < 1150; i++)
        {
            var x = i;
            for (var j = 0; j < name.Length; j++)
            {
                name[j] = (byte)Alphabet[(int)(x % Alphabet.Length)];
                x /= Alphabet.Length;
            }

            if (((UnseededHash(name) | 1) >> 33 & 4095) == 0)
            {
                Assert.True(set.TryAdd(MemberNameSet.Hash(name)));
                added++;
            }
        }

        // Seeded, they land like any names: at most half full, so runs stay short (typically under 20).
        Assert.True(set.LongestRun() < 100, $"longest run {set.LongestRun()}");
        set.Dispose();
    }

    private static ulong UnseededHash(ReadOnlySpan<byte> name)
    {
        var packed = (ulong)name.Length << 56;
        for (var i = 0; i < name.Length; i++)
        {
            packed ^= (ulong)name[i] << (i * 8);
        }

        packed = (packed ^ (packed >> 33)) * 0xFF51AFD7ED558CCDUL;
        packed = (packed ^ (packed >> 33)) * 0xC4CEB93FE1A85A53UL;
        return packed ^ (packed >> 33);
    }
}
