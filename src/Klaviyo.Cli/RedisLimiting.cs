using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Klaviyo.Cli;

/// <summary>What <c>klaviyo call</c> was told about Redis, as typed.</summary>
/// <param name="Connection">The <c>--redis</c> connection string, if given.</param>
/// <param name="Tier">The <c>--redis-tier</c> rates, e.g. <c>10/s 150/m</c>.</param>
/// <param name="Margin">The <c>--redis-margin</c> fraction.</param>
/// <param name="Account">The <c>--redis-account</c> name.</param>
/// <param name="OnFailure">The <c>--on-redis-failure</c> choice: <c>fallback</c> or <c>fail-closed</c>.</param>
internal sealed record RedisArguments(
    string? Connection,
    string? Tier,
    double? Margin,
    string? Account,
    string? OnFailure
)
{
    /// <summary>No Redis options at all.</summary>
    public static readonly RedisArguments None = new(null, null, null, null, null);

    /// <summary>Whether any option besides the connection was given.</summary>
    public bool HasSettings =>
        Tier is not null || Margin is not null || Account is not null || OnFailure is not null;
}

/// <summary>
/// <c>--redis</c> (or <c>KLAVIYO_REDIS</c>): paces the requests of a <c>klaviyo call</c> — above all a long
/// <c>--all-pages</c> run — with the <see cref="RedisRateLimiter"/>, so that they share the account's quota with
/// every other job on the same Redis (docs/running-several-workers.md).
/// </summary>
internal static partial class RedisLimiting
{
    /// <summary>The environment variable holding the connection string.</summary>
    public const string Variable = "KLAVIYO_REDIS";

    /// <summary>
    /// The connection string and limiter options the arguments ask for, or <c>null</c> when Redis is not used. The
    /// flag wins over the environment variable. Checked before anything is sent: a password on the command line, a
    /// setting without a connection, a bad tier or margin are a <see cref="UsageException"/>.
    /// </summary>
    /// <param name="arguments">The Redis options.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static (string Connection, RedisRateLimiterOptions Options)? Settings(
        RedisArguments arguments,
        Func<string, string?> environment
    )
    {
        if (arguments.Connection is { } flag)
        {
            if (string.IsNullOrWhiteSpace(flag))
                throw new UsageException(
                    "--redis takes a connection string such as localhost:6379"
                );
            if (PasswordSetting().IsMatch(flag))
                throw new UsageException(
                    $"--redis: a connection string holding a password belongs in {Variable}, not on the command line (it would stay in shell history and process listings)"
                );
        }
        var connection = arguments.Connection ?? NonEmpty(environment(Variable));
        if (connection is null)
        {
            if (arguments.HasSettings)
                throw new UsageException(
                    $"--redis-tier, --redis-margin, --redis-account and --on-redis-failure go with --redis CONNECTION (or {Variable})"
                );
            return null;
        }
        var options = RedisRateLimiterOptions.Default;
        if (arguments.Tier is { } tierText)
        {
            var tier = Tier(tierText);
            options = options with { TierFor = _ => tier };
        }
        if (arguments.Margin is { } margin)
        {
            if (!(margin >= 0) || margin > 1)
                throw new UsageException(
                    $"--redis-margin takes a fraction of the window from 0 to 1, not {margin.ToString(CultureInfo.InvariantCulture)}"
                );
            options = options with { Margin = margin };
        }
        if (arguments.Account is { } account)
        {
            if (string.IsNullOrWhiteSpace(account))
                throw new UsageException("--redis-account takes a name, e.g. the company id");
            options = options with { AccountId = account };
        }
        if (arguments.OnFailure == "fail-closed")
            options = options with { OnRedisFailure = RedisFailureMode.FailClosed };
        return (connection, options);
    }

    /// <summary>
    /// A tier written as the <c>operations</c> table writes it: rates like <c>10/s</c>, <c>150/m</c>, <c>1000/d</c>
    /// separated by spaces or commas, at most one per window; anything else is a <see cref="UsageException"/>.
    /// </summary>
    /// <param name="text">The tier, e.g. <c>10/s 150/m</c>.</param>
    public static RateLimitTier Tier(string text)
    {
        Rate? burst = null,
            steady = null,
            daily = null;
        var parts = text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            throw new UsageException(TierUsage(text));
        foreach (var part in parts)
        {
            var match = RateText().Match(part);
            if (
                !match.Success
                || !int.TryParse(
                    match.Groups[1].Value,
                    NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out var count
                )
                || count <= 0
            )
                throw new UsageException(TierUsage(text));
            switch (match.Groups[2].Value)
            {
                case "s" when burst is null:
                    burst = new Rate(count, TimeSpan.FromSeconds(1));
                    break;
                case "m" when steady is null:
                    steady = new Rate(count, TimeSpan.FromMinutes(1));
                    break;
                case "d" when daily is null:
                    daily = new Rate(count, TimeSpan.FromDays(1));
                    break;
                default:
                    throw new UsageException(TierUsage(text));
            }
        }
        return new RateLimitTier(burst, steady, daily);
    }

    /// <summary>The limiter, connecting in the background; its warnings go to standard error.</summary>
    /// <param name="settings">What <see cref="Settings"/> returned.</param>
    public static RedisRateLimiter Create(
        (string Connection, RedisRateLimiterOptions Options) settings
    )
    {
        try
        {
            return new RedisRateLimiter(
                settings.Connection,
                settings.Options,
                new StandardErrorLogger()
            );
        }
        catch (ArgumentException)
        {
            // The message may quote the string, and the string may hold a password.
            throw new UsageException(
                "the Redis connection string cannot be read; write it as host:port[,option=value…], e.g. localhost:6379"
            );
        }
    }

    private static string TierUsage(string text) =>
        $"--redis-tier takes rates such as '10/s 150/m' (at most one per second, minute and day), not '{text}'";

    private static string? NonEmpty(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(
        @"(^|,)\s*password\s*=",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    )]
    private static partial Regex PasswordSetting();

    [GeneratedRegex(@"^([0-9]+)/([smd])$", RegexOptions.CultureInvariant)]
    private static partial Regex RateText();

    // The limiter's warnings (Redis lost, back, a 429 pausing every worker), one line each on standard error.
    private sealed class StandardErrorLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        )
        {
            if (!IsEnabled(logLevel))
                return;
            var text = CommandLineTerms
                .Of(formatter(state, exception))
                .Replace("Klaviyo rate limiting: ", "", StringComparison.Ordinal);
            Console.Error.WriteLine(
                "klaviyo: "
                    + (logLevel >= LogLevel.Warning ? "warning: " : "")
                    + TerminalText.Escape(text)
            );
        }
    }
}
