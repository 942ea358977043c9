using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace Bearer.Auth;

/// <summary>
/// Detects a repeated member name within any object of a JSON document without allocating: names are unescaped,
/// hashed (64 bits), keyed by the object that holds them (<see cref="OpenObject"/>) and kept in one open-addressed
/// hash table, so each member costs O(1) however many an attacker sends (a linear scan would make a wide payload cost
/// O(n²) before any signature check). A collision can only make a token be refused, never accepted; honest tokens
/// collide with probability ~n²/2⁶³.
/// </summary>
internal ref struct MemberNameSet
{
    /// <summary>
    /// A secret per process, so nobody can compute offline which names share a slot: without it, a payload of
    /// names chosen to crowd one run of the table makes every insert walk that run (quadratic again, before any
    /// signature check).
    /// </summary>
    private static readonly ulong Seed = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(sizeof(ulong)));

    private Span<ulong> _table;
    private ulong[]? _rented;
    private int _count;
    private int _objects;

    /// <param name="initialTable">Working space; its length must be a power of two.</param>
    internal MemberNameSet(Span<ulong> initialTable)
    {
        initialTable.Clear();
        _table = initialTable;
        _rented = null;
        _count = 0;
        _objects = 0;
    }

    /// <summary>Numbers a nested object of the document (the outermost is 0), so its names are kept apart from every other object's.</summary>
    internal int OpenObject() => ++_objects;

    /// <summary>
    /// Adds a name hash from <see cref="HashName"/> for the object <paramref name="objectId"/> (from <see cref="OpenObject"/>);
    /// returns false when that object already has the name. The key is the name's hash mixed with the object's number by
    /// a bijection: distinct numbers give distinct keys for one name, and the secret seed in the name's hash keeps
    /// anyone from choosing names and nesting that collide.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryAdd(ulong hash, int objectId) =>
        TryAdd(objectId == 0 ? hash : Mix(hash ^ ((ulong)objectId * 0x9E3779B97F4A7C15UL)));

    /// <summary>Adds a name hash from <see cref="HashName"/>; returns false when it was already present.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryAdd(ulong hash)
    {
        // Zero marks an empty slot, so stored hashes always have the low bit set.
        var stored = hash | 1;
        var mask = _table.Length - 1;
        for (var i = (int)(stored >> 33) & mask; ; i = (i + 1) & mask)
        {
            if (_table[i] == stored)
            {
                return false;
            }

            if (_table[i] == 0)
            {
                _table[i] = stored;
                break;
            }
        }

        // Keep the table at most half full so probes stay short.
        if (++_count * 2 > _table.Length)
        {
            Grow();
        }

        return true;
    }

    /// <summary>The longest run of occupied slots: what one insert may have to walk (tests check no choice of names builds a long one).</summary>
    internal readonly int LongestRun()
    {
        int longest = 0, run = 0;
        foreach (var stored in _table)
        {
            run = stored == 0 ? 0 : run + 1;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    internal readonly void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<ulong>.Shared.Return(_rented);
        }
    }

    private void Grow()
    {
        var length = _table.Length * 2;
        var rented = ArrayPool<ulong>.Shared.Rent(length);
        var larger = rented.AsSpan(0, length);
        larger.Clear();
        var mask = length - 1;
        foreach (var stored in _table)
        {
            if (stored != 0)
            {
                var i = (int)(stored >> 33) & mask;
                while (larger[i] != 0)
                {
                    i = (i + 1) & mask;
                }

                larger[i] = stored;
            }
        }

        if (_rented is not null)
        {
            ArrayPool<ulong>.Shared.Return(_rented);
        }

        _rented = rented;
        _table = larger;
    }

    /// <summary>
    /// Hashes the unescaped property name the reader is on. <paramref name="isPlain"/> says whether the name has no
    /// escapes, so <see cref="Utf8JsonReader.ValueSpan"/> is the name itself and callers can match it byte for byte
    /// (an escaped name must be compared unescaped).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong HashName(ref Utf8JsonReader reader, out bool isPlain)
    {
        isPlain = !reader.ValueIsEscaped && !reader.HasValueSequence;
        return isPlain ? Hash(reader.ValueSpan) : HashEscapedName(ref reader);
    }

    private static ulong HashEscapedName(ref Utf8JsonReader reader)
    {
        // An escaped name ("\u0061lg") must collide with its plain spelling ("alg").
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        byte[]? rented = null;
        var buffer = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = reader.CopyString(buffer);
            return Hash(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Hashes an unescaped name; <see cref="HashName"/> gives the same value for any spelling of it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= sizeof(ulong))
        {
            return Mix(Fnv1a(bytes));
        }

        // Nearly every member name is shorter than eight bytes: packed with its length into one word (distinct names,
        // distinct words) and mixed once by a bijection, instead of one dependent multiply per byte.
        var packed = (ulong)bytes.Length << 56;
        for (var i = 0; i < bytes.Length; i++)
        {
            packed ^= (ulong)bytes[i] << (i * 8);
        }

        return Mix(packed ^ Seed);
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL ^ Seed;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>The MurmurHash3 finalizer: a bijection on 64 bits that spreads every input bit over the output.</summary>
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 33)) * 0xFF51AFD7ED558CCDUL;
        value = (value ^ (value >> 33)) * 0xC4CEB93FE1A85A53UL;
        return value ^ (value >> 33);
    }
}
