using System.Buffers;
using System.Text.Json;

namespace Bearer.Auth.Tokens;

/// <summary>
/// Detects a repeated member name among the top-level members of a JSON object without allocating: names are
/// unescaped, hashed (64-bit FNV-1a) and compared by hash. A collision can only make a token be refused, never
/// accepted, and honest tokens collide with probability ~n²/2⁶⁴.
/// </summary>
internal ref struct MemberNameSet
{
    private Span<ulong> _hashes;
    private ulong[]? _rented;
    private int _count;

    internal MemberNameSet(Span<ulong> initialBuffer)
    {
        _hashes = initialBuffer;
        _rented = null;
        _count = 0;
    }

    /// <summary>Adds a name hash from <see cref="HashName"/>; returns false when it was already present.</summary>
    internal bool TryAdd(ulong hash)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_hashes[i] == hash)
            {
                return false;
            }
        }

        if (_count == _hashes.Length)
        {
            Grow();
        }

        _hashes[_count++] = hash;
        return true;
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
        var larger = ArrayPool<ulong>.Shared.Rent(Math.Max(16, _hashes.Length * 2));
        _hashes[.._count].CopyTo(larger);
        if (_rented is not null)
        {
            ArrayPool<ulong>.Shared.Return(_rented);
        }

        _rented = larger;
        _hashes = larger;
    }

    /// <summary>Hashes the unescaped property name the reader is on.</summary>
    internal static ulong HashName(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return Fnv1a(reader.ValueSpan);
        }

        // An escaped name ("\u0061lg") must collide with its plain spelling ("alg").
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        byte[]? rented = null;
        var buffer = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = reader.CopyString(buffer);
            return Fnv1a(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
