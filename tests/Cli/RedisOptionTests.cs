using System.Text.Json;
using Klaviyo.Cli;
using Klaviyo.Tests.Redis;
using StackExchange.Redis;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary>One Redis-protocol server for the CLI's Redis tests (redis-server, else Garnet), as tests/Redis starts it.</summary>
public sealed class CliRedisFixture : IAsyncLifetime
{
    public RedisUnderTest Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisUnderTest.StartAsync();
        await Redis.WarmUpAsync();
    }

    public async Task DisposeAsync() => await Redis.DisposeAsync();
}

/// <summary>
/// <c>klaviyo call --all-pages --redis</c> (or <c>KLAVIYO_REDIS</c>): every page's permit is taken from the account's
/// shared quota in a real Redis-protocol server; Redis unreachable falls back with a warning or fails closed.
/// </summary>
public class RedisOptionTests(CliRedisFixture fixture) : IClassFixture<CliRedisFixture>
{
    private const string Key = "pk_redis_cli_0123456789abcdef";
    private const string Tier = "1000/s 10000/m";

    // The steady window's sorted set of the account's bucket for Tier (see docs/running-several-workers.md).
    private static RedisKey SteadyWindow(string account) =>
        $"klaviyo:rl:{{{account}|1000/1s+10000/60s}}:60s";

    [Fact]
    public async Task All_pages_take_one_shared_permit_each_from_redis()
    {
        await using var server = await PagingServer.StartAsync(items: 6, pageSize: 2);
        var account = "cli-" + Guid.NewGuid().ToString("N");

        var result = await CliProcess.RunAsync(
            [
                "call",
                "get_profiles",
                "--all-pages",
                "--base-url",
                server.BaseUrl,
                "--redis",
                fixture.Redis.Configuration,
                "--redis-tier",
                Tier,
                "--redis-account",
                account,
            ],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(6, doc.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal(3, server.Received.Count);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(
            fixture.Redis.Configuration
        );
        Assert.Equal(3, await redis.GetDatabase().SortedSetLengthAsync(SteadyWindow(account)));
    }

    [Fact]
    public async Task The_connection_can_come_from_KLAVIYO_REDIS()
    {
        await using var server = await PagingServer.StartAsync(items: 4, pageSize: 2);
        var account = "cli-env-" + Guid.NewGuid().ToString("N");

        var result = await CliProcess.RunAsync(
            [
                "call",
                "get_profiles",
                "--all-pages",
                "--base-url",
                server.BaseUrl,
                "--redis-tier",
                Tier,
                "--redis-account",
                account,
            ],
            new Dictionary<string, string>
            {
                ["KLAVIYO_API_KEY"] = Key,
                [RedisLimiting.Variable] = fixture.Redis.Configuration,
            }
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        await using var redis = await ConnectionMultiplexer.ConnectAsync(
            fixture.Redis.Configuration
        );
        Assert.Equal(2, await redis.GetDatabase().SortedSetLengthAsync(SteadyWindow(account)));
    }

    [Fact]
    public async Task Redis_unreachable_and_fail_closed_sends_nothing_and_exits_3()
    {
        await using var server = await PagingServer.StartAsync(items: 4, pageSize: 2);

        var result = await CliProcess.RunAsync(
            [
                "call",
                "get_profiles",
                "--base-url",
                server.BaseUrl,
                "--redis",
                $"127.0.0.1:{RedisUnderTest.FreePort()}",
                "--on-redis-failure",
                "fail-closed",
            ],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("cannot reach Redis", result.Stderr);
        Assert.Contains("(--on-redis-failure fail-closed); nothing was sent", result.Stderr);
        Assert.DoesNotContain("RedisFailureMode", result.Stderr);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Redis_unreachable_by_default_warns_and_paces_in_this_process()
    {
        await using var server = await PagingServer.StartAsync(items: 4, pageSize: 2);

        var result = await CliProcess.RunAsync(
            [
                "call",
                "get_profiles",
                "--all-pages",
                "--base-url",
                server.BaseUrl,
                "--redis",
                $"127.0.0.1:{RedisUnderTest.FreePort()}",
            ],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(4, doc.RootElement.GetProperty("data").GetArrayLength());
        Assert.StartsWith("klaviyo: warning: Redis is unavailable", result.Stderr);
        Assert.DoesNotContain("Exception", result.Stderr);
    }

    [Theory]
    [InlineData("--redis", "localhost:6379,password=hunter2", "belongs in KLAVIYO_REDIS")]
    [InlineData("--redis-tier", "10/s 150/m", "go with --redis CONNECTION")]
    [InlineData("--redis-margin", "0.5", "go with --redis CONNECTION")]
    [InlineData("--on-redis-failure", "fail-closed", "go with --redis CONNECTION")]
    public async Task Redis_options_are_checked_before_anything_is_sent(
        string option,
        string value,
        string expected
    )
    {
        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", option, value],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("hunter2", result.Stderr);
    }

    [Fact]
    public async Task Redis_with_a_dry_run_is_refused()
    {
        var result = await CliProcess.RunAsync(
            "call",
            "get_profiles",
            "--dry-run",
            "--redis",
            "127.0.0.1:1"
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("a dry run or --replay sends none", result.Stderr);
    }

    [Theory]
    [InlineData("10/s 150/m", 10, 150, null)]
    [InlineData("3/s,60/m,200/d", 3, 60, 200)]
    [InlineData("700/m", null, 700, null)]
    public void A_tier_reads_as_the_operations_table_writes_it(
        string text,
        int? burst,
        int? steady,
        int? daily
    )
    {
        var tier = RedisLimiting.Tier(text);

        Assert.Equal(burst, tier.Burst?.Count);
        Assert.Equal(steady, tier.Steady?.Count);
        Assert.Equal(daily, tier.Daily?.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("10/s 20/s")]
    [InlineData("0/s")]
    [InlineData("10/h")]
    [InlineData("-1/m")]
    public void A_bad_tier_is_a_usage_error(string text)
    {
        var error = Assert.Throws<UsageException>(() => RedisLimiting.Tier(text));
        Assert.Contains("--redis-tier takes rates such as '10/s 150/m'", error.Message);
    }

    [Fact]
    public void The_flag_wins_over_the_environment_variable_and_settings_reach_the_limiter()
    {
        var settings = RedisLimiting.Settings(
            new RedisArguments("flag:6379", "5/s", 0.2, "acct", "fail-closed"),
            _ => "env:6379"
        );

        Assert.NotNull(settings);
        Assert.Equal("flag:6379", settings.Value.Connection);
        Assert.Equal(0.2, settings.Value.Options.Margin);
        Assert.Equal("acct", settings.Value.Options.AccountId);
        Assert.Equal(RedisFailureMode.FailClosed, settings.Value.Options.OnRedisFailure);
        Assert.Null(RedisLimiting.Settings(RedisArguments.None, _ => "  "));
        Assert.Equal(
            "env:6379",
            RedisLimiting.Settings(RedisArguments.None, _ => "env:6379")!.Value.Connection
        );
    }
}
