using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Klaviyo.Tests.Redis;

/// <summary>One Redis-protocol server shared by the tests of the "redis" collection; each test uses its own key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private readonly IMessageSink _sink;

    public RedisFixture(IMessageSink sink) => _sink = sink;

    public RedisUnderTest Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisUnderTest.StartAsync();
        await Redis.WarmUpAsync();
        _sink.OnMessage(
            new DiagnosticMessage(
                $"Klaviyo.Tests.Redis: testing against {RedisUnderTest.Kind} on {Redis.Configuration}"
            )
        );
    }

    public async Task DisposeAsync() => await Redis.DisposeAsync();

    /// <summary>A key prefix no other test uses.</summary>
    public static string Prefix() => $"test:{Guid.NewGuid():N}:";
}

[CollectionDefinition("redis")]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>;
