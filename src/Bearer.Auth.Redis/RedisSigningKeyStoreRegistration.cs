using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Bearer.Auth.Redis;

/// <summary>Registers <see cref="RedisSigningKeyStore"/> as the key ring's store, with the Data Protection it encrypts with.</summary>
internal static class RedisSigningKeyStoreRegistration
{
    internal static IServiceCollection AddRedisSigningKeyStore(this IServiceCollection services)
    {
        // Keeps the application's own Data Protection set-up; it must share its key ring across instances.
        services.AddDataProtection();
        services.TryAddSingleton<ISigningKeyStore>(sp => new RedisSigningKeyStore(
            sp.GetRequiredService<RedisConnection>(),
            sp.GetRequiredService<IDataProtectionProvider>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<RedisSigningKeyStore>>()));
        return services;
    }
}
