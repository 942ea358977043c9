using System.Reflection;
using Bearer.Auth.Redis;
using Microsoft.Extensions.Logging;

namespace Bearer.Auth.Tests.Redis;

/// <summary>An event id names one message: a log filter or alert on an id must never catch another package's message.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void Every_log_event_id_names_one_message_across_Bearer_Auth_and_Bearer_Auth_Redis()
    {
        var messages = new[] { typeof(BearerJwtValidator).Assembly, typeof(RedisTokenRevocationStore).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{method.DeclaringType!.Name}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(message => message.Attribute is not null)
            .ToList();
        Assert.Contains(messages, message => message.Method == "RevocationLog.ViewLoaded");
        Assert.Contains(messages, message => message.Method.StartsWith("SigningKeyRingLog.", StringComparison.Ordinal));

        var shared = messages
            .GroupBy(message => message.Attribute!.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(message => message.Method))}")
            .ToList();

        Assert.Empty(shared);
    }
}
