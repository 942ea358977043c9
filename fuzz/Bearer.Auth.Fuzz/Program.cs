using Bearer.Auth.Fuzz;
using SharpFuzz;

// `Bearer.Auth.Fuzz`                      the AFL++ target (persistent mode; run by fuzz/fuzz.sh, not by hand)
// `Bearer.Auth.Fuzz seeds DIR [VECTORS]`  writes the seed corpus to DIR
// `Bearer.Auth.Fuzz replay PATH...`       runs files (or every file in directories) and prints each outcome
switch (args)
{
    case []:
        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            FuzzTarget.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;

    case ["seeds", var directory, ..]:
        Directory.CreateDirectory(directory);
        var seeds = SeedCorpus.Create(args.Length > 2 ? args[2] : null);
        foreach (var seed in seeds)
        {
            File.WriteAllBytes(Path.Combine(directory, seed.Name), seed.Input);
        }

        Console.WriteLine($"{seeds.Count} seeds written to {directory}");
        return 0;

    case ["replay", ..]:
        var findings = 0;
        foreach (var file in args[1..].SelectMany(path => Directory.Exists(path) ? Directory.EnumerateFiles(path) : [path]).Order(StringComparer.Ordinal))
        {
            try
            {
                Console.WriteLine($"{file}: {FuzzTarget.Run(File.ReadAllBytes(file))}");
            }
            catch (Exception e)
            {
                findings++;
                Console.WriteLine($"{file}: FINDING {e}");
            }
        }

        return findings == 0 ? 0 : 1;

    default:
        Console.Error.WriteLine("usage: Bearer.Auth.Fuzz [seeds DIR [VECTORS] | replay PATH...]");
        return 2;
}
