using System.Security.Cryptography;

namespace Bearer.Auth.Fuzz;

/// <summary>
/// The fuzz target's keys, fixed so that a crashing input (a token signed with one of them) reproduces in any process:
/// in the test suite, on another machine, years later. Generated for this harness only; they protect nothing.
/// </summary>
internal static class FuzzKeys
{
    internal const string Issuer = "https://fuzz.test";
    internal const string Audience = "api://fuzz";

    /// <summary>The HS256 secret (32 bytes, the RFC 7518 §3.2 minimum).</summary>
    internal static ReadOnlySpan<byte> HmacSecret => "bearer-auth-fuzz-hs256-secret-32"u8;

    private const string RsaPem = """
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDMVSLdQKuGVKcN
UIgnwCx3lig55NaS3gFjEqG30RgK5l9C0Hgb7iMw5KMHr0R6NrVPcb4AGO1c+XbG
Wy+6evQ8gTKeagopwWYSqNJvDrc5KeS3prTr+r6YMXC5Mymnw22xxvv+XSmYt0Fe
H46H5L1iD6ZgO3tPropNwupLOW5Tf8v/ZdGmBetxEB0djqK7oKG7qu5vc5Yye6T1
2T3PrWczmmMTK38KLzpDGX+q0LzbZuu/Z059smi8GhzdYNXt14Uooi67mM3mQTXq
t1+QxfiyFX7v2xozzEhPAhd52ky3EGYHr+b/2yNQYSx27JaOq/Tdul5up7ju9lGY
U86V5LJxAgMBAAECggEAGotZ0N/YmIYRQI3MbkuNC0kGt0Sm6mPsTrRKLXC8nJfi
WrHt1IUKbczZ8ALhFLZcNfKbAfS7Cze+KhUI/YMBDQYkrwcsBFIjQjvLwJErFMJA
O+psePZ1QZy0nd6LZAejjbOBo4DzSStPUtyrHbTFtII/dSNtCMQuI911JeoTTsXg
zVUK9Z+mGQMbRi4K8VbRvdxn2lsoAJtLlFrCIF5c4OY/oEhojGIhJvR8mQXIw12C
aBxLXtX5KUwzDG45VZsuyPJHxcA9qrU7yLc8BP3xjzyslqtM8xJyWiVSonFgnl8S
QTGDIiU3a3uwvM5bDiNq0/J2B54IuP+HbwjAEdMNZQKBgQD/uTE7X4hgnaZhR+8F
9/8Ow6mjby5eFFUWaBazGyfKLIP97q+knz/VnBW1T3/5iL/pVSTphalVaIEqsjyx
K1NxBNlr2UYzglkSOSZgHycC7mjjE56OB6Mhg/nfsJtPhUa037MyRL9GbZ2Ydeb4
TP8DkwZnzj+Sx0AALdUhZ7YLBQKBgQDMjbbUZJYSasv7rWlk7fm4DbAZqE+NWwJD
9ow68Xy2inZxNtrcfcDDOXJaREVpLdMeuLA0/WhPx5fDS2eQvDdJI9mUCwsQWj4b
YY1eEG529Tp8tqk+UfXqjfjC89iQjDUI2h2L6j0vUk04SytYC6wlkDa94GJdlhxI
uWIClObdfQKBgFPGech3rZfpTb6E8FtGOXq+wu5V2BzeEFn806LtfIWRO9SOw1/t
A96Y+cuiNcyr7iMkz6jpLuZaDCbOqW9pQDbAXfIlBgiN5VxA+L94tTESpa3umXzy
J5EtSUjs9JSClv1eY7hOKVOLSZvO1FH393tWSTzsposRV3g3i6Eb9tl5AoGBAK+4
UcY1PoJFwkPLHY35rRsCjzQLVYOeGd0ecCq2hqcdXVA2il79nFlZATYwDdyj5Agx
KhXrVu+qC2JWZXp9ZZTsOh4mOnPqwg2tiM60mOCSG5NFKzCBIhtDqN54saLC/1BC
Zz1plPQQ5Ismb+6r4E9Iiu4kUvwIVvXWYy7KkWTVAoGBAIUDh9BuXIAQHX2HqT+X
pqzLMOUyh+EybbS8uzUlPeG4NainpRkdGo7EF3wYVppo2O+p1DfhkQEjJ3+lnxK5
js38Ey0t+vvlNWosJVoAVSmwS7Yu9LjeCnLc9caurRTUTipccjGzPO4IigtI0KtM
o2R8KIbssb1Gug2JqII0FMRO
-----END PRIVATE KEY-----
""";

    private const string EcdsaPem = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgbjhrLFenOTuf30/O
Xd1moMBHadKNbkNXaXT9cIjTznChRANCAAT9SdLyoUUgLJ67N3lnJJykv0o7Uvs9
v6MibQlvq73hYT4WV8JZ/VIbc1HwqVPLKceuiSmO1UAOx1uZIFTR5iLi
-----END PRIVATE KEY-----
""";

    internal static RSA CreateRsa()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(RsaPem);
        return rsa;
    }

    internal static ECDsa CreateEcdsa()
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(EcdsaPem);
        return ecdsa;
    }
}
