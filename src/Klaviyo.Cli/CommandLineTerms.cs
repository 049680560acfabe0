using System.Text.RegularExpressions;

namespace Klaviyo.Cli;

/// <summary>
/// The library's messages speak to C# callers (<c>OperationCatalog.Find("get_profiles") lists them all</c>,
/// <c>ClientOptions.Timeout</c>); the tool says the same in its own terms (commands, flags, environment variables).
/// Every message from the library passes through <see cref="Of"/> before it is printed; a test runs bad inputs and
/// checks that no .NET name is left.
/// </summary>
internal static partial class CommandLineTerms
{
    private static readonly (Regex Pattern, string Replacement)[] Rewrites =
    [
        (CatalogFind(), "'klaviyo describe $1' lists them all"),
        (CatalogBulkJobs(), "'klaviyo bulk --help' lists them"),
        (
            new Regex(
                "use https, or allow insecure credentials in the client options",
                RegexOptions.CultureInvariant
            ),
            "use an https --base-url (or, on a network you trust, give --allow-insecure-credentials)"
        ),
        (
            new Regex(@"ClientOptions\.Timeout must", RegexOptions.CultureInvariant),
            "--timeout must"
        ),
        (new Regex(@" \(ClientOptions\.MaxResponseBytes\)", RegexOptions.CultureInvariant), ""),
        (new Regex(@"RetryOptions\.MaxRetries", RegexOptions.CultureInvariant), "--max-retries"),
        (new Regex(@"RetryOptions\.RetryIn", RegexOptions.CultureInvariant), "--retry-in"),
        (
            new Regex(
                @"set KlaviyoOptions\.ApiKey \(a private key, pk_…\) or AccessToken",
                RegexOptions.CultureInvariant
            ),
            $"set {Credentials.ApiKeyVariable} or {Credentials.AccessTokenVariable}, or give --api-key-file"
        ),
        (
            new Regex(@"Interpreter\.Record\(inner, path\)", RegexOptions.CultureInvariant),
            "--record"
        ),
        (
            new Regex(@"\(RedisFailureMode\.FailClosed\)", RegexOptions.CultureInvariant),
            "(--on-redis-failure fail-closed)"
        ),
        // Some messages (the Redis limiter's warnings) name the exception behind them.
        (
            new Regex(
                @"\b(?:[A-Za-z]+\.)*[A-Z][A-Za-z]*Exception\b",
                RegexOptions.CultureInvariant
            ),
            "error"
        ),
    ];

    /// <summary><paramref name="message"/> with the library's C# names put in the tool's terms.</summary>
    /// <param name="message">A message from the library.</param>
    public static string Of(string message)
    {
        foreach (var (pattern, replacement) in Rewrites)
            message = pattern.Replace(message, replacement);
        return message;
    }

    [GeneratedRegex(@"Catalog\.Find\(""([^""]*)""\) lists them all", RegexOptions.CultureInvariant)]
    private static partial Regex CatalogFind();

    [GeneratedRegex(@"Catalog\.BulkJobs lists them", RegexOptions.CultureInvariant)]
    private static partial Regex CatalogBulkJobs();
}
