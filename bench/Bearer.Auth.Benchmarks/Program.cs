using BenchmarkDotNet.Running;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release -- --filter '*' --job short</c>, or <c>-- interleaved [rounds]</c> for the
/// paired measurement (see bench/README.md).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "interleaved")
        {
            Interleaved.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000);
            return;
        }

        if (args.Length > 0 && args[0] == "pipeline")
        {
            InterleavedPipeline.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
            return;
        }

        if (args.Length > 0 && args[0] == "handlers")
        {
            InterleavedPipeline.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000, handlersOnly: true);
            return;
        }

        if (args.Length > 0 && args[0] == "hmac")
        {
            HmacBenchmarks.RunPaired(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3000);
            return;
        }

        if (args.Length > 0 && args[0] == "issue")
        {
            IssuanceBenchmarks.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3000);
            return;
        }

        if (args.Length > 0 && args[0] == "redis-rotation")
        {
            RedisRotationBenchmarks.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
            return;
        }

        if (args.Length > 0 && args[0] == "redis-propagation")
        {
            RedisPropagationBenchmarks.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
            return;
        }

        if (args.Length > 0 && args[0] == "parts")
        {
            Parts.Run();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
