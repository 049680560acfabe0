using System.CommandLine;
using System.CommandLine.Parsing;

namespace Klaviyo.Cli;

/// <summary>
/// <c>klaviyo call OPERATION_ID [PATH_ARGS…] [options]</c>: builds the operation from the catalog, runs it live, as a
/// dry run, or from a fixture, and prints the response JSON.
/// </summary>
internal static class CallCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var operation = new Argument<string>("OPERATION_ID")
        {
            Description =
                "An operationId (get_profiles), an old alias, or the C# name (Profiles.GetProfiles)",
        };
        operation.CompletionSources.Add(OperationLookup.Completions);
        // Help would otherwise list every completion (345 operation ids) as the argument's name.
        operation.HelpName = "OPERATION_ID";
        var pathArguments = new Argument<string[]>("PATH_ARGS")
        {
            Description =
                "The path parameters, in path order (see 'klaviyo describe OPERATION_ID'); put -- before one starting with -",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var query = new Option<string[]>("--query", "-q")
        {
            Description =
                "A query parameter, e.g. 'page[size]=10' or 'fields[profile]=email,first_name'; repeat for more",
            HelpName = "NAME=VALUE",
            Arity = ArgumentArity.OneOrMore,
        };
        var filter = new Option<string>("--filter", "-f")
        {
            Description =
                "The filter query parameter, e.g. 'equals(email,\"a@example.com\")'; checked against the operation's filter fields",
            HelpName = "EXPR",
        };
        var body = new Option<string>("--body", "-b")
        {
            Description = "The JSON body: a file, or - for standard input",
            HelpName = "FILE|-",
        };
        var allPages = new Option<bool>("--all-pages")
        {
            Description = "Follow links.next and print one document holding the data of every page",
        };
        var maxPages = NumberOptions.Whole("--max-pages", "a whole number of pages");
        maxPages.Description = "With --all-pages, stop after N pages";
        maxPages.HelpName = "N";
        var dryRun = new Option<bool>("--dry-run", "-n")
        {
            Description =
                "Print the request (secrets masked) and send nothing; the default when no credentials are set",
        };
        var format = new Option<string>("--format")
        {
            Description = "How a dry run prints the request",
            DefaultValueFactory = _ => "curl",
        };
        format.AcceptOnlyFromAmong("curl", "http");
        var record = new Option<string>("--record")
        {
            Description =
                "Send live and write the exchanges to a fixture file (secrets redacted), replacing it",
            HelpName = "FILE",
        };
        var replay = new Option<string>("--replay")
        {
            Description =
                "Answer from a fixture file recorded with --record; sends nothing, needs no key",
            HelpName = "FILE",
        };
        var retry = new Option<string>("--retry")
        {
            Description = "Retry transport failures, timeouts, 5xx and 429",
        };
        retry.AcceptOnlyFromAmong("linear", "exponential");
        var retryIn = NumberOptions.Whole("--retry-in", "a whole number of milliseconds");
        retryIn.Description = "With --retry linear, milliseconds to wait between tries (default 0)";
        retryIn.HelpName = "MS";
        var maxRetries = NumberOptions.Whole("--max-retries", "a whole number of retries");
        maxRetries.Description = "With --retry, retries after the first try (default 3)";
        maxRetries.HelpName = "N";
        var revision = new Option<string>("--revision")
        {
            Description = $"The API revision header (default {OperationCatalog.Revision})",
            HelpName = "R",
        };
        var compact = new Option<bool>("--compact", "-c")
        {
            Description = "Print JSON on one line instead of indented",
        };
        var baseUrl = new Option<string>("--base-url")
        {
            Description =
                "Send to another server instead of https://a.klaviyo.com, e.g. a proxy or http://127.0.0.1:5000",
            HelpName = "URL",
        };
        var apiKeyFile = new Option<string>("--api-key-file")
        {
            Description =
                $"Read the private API key from FILE (else {Credentials.ApiKeyVariable}; {Credentials.AccessTokenVariable} is read too)",
            HelpName = "FILE",
        };
        var timeout = NumberOptions.Seconds("--timeout");
        timeout.Description = "Seconds to wait for each response (default 60)";
        timeout.HelpName = "SECONDS";
        var noBodyCheck = BodyCheckOption.Create();
        var allowInsecure = new Option<bool>("--allow-insecure-credentials")
        {
            Description =
                "Send credentials over plain http to a host that is not loopback (only on a network you trust)",
        };
        var redis = new Option<string>("--redis")
        {
            Description =
                $"Share the account's rate limits with other jobs through Redis, e.g. localhost:6379 (else {RedisLimiting.Variable}; a connection string with a password goes there, not here)",
            HelpName = "CONNECTION",
        };
        var redisTier = new Option<string>("--redis-tier")
        {
            Description =
                "With Redis, pace every request by this tier instead of the operation's, e.g. '10/s 150/m'",
            HelpName = "RATES",
        };
        var redisMargin = NumberOptions.Number("--redis-margin", "a fraction such as 0.05");
        redisMargin.Description =
            "With Redis, how long past its window a permit keeps counting, as a fraction of the window (default 0.01)";
        redisMargin.HelpName = "FRACTION";
        var redisAccount = new Option<string>("--redis-account")
        {
            Description =
                "With Redis, the account's name in keys (e.g. the company id) instead of a hash of the credential",
            HelpName = "ID",
        };
        var onRedisFailure = new Option<string>("--on-redis-failure")
        {
            Description =
                "With Redis, what to do while it is unreachable: pace in this process only (fallback, the default) or stop (fail-closed)",
        };
        onRedisFailure.AcceptOnlyFromAmong("fallback", "fail-closed");

        var command = new Command(
            "call",
            "Call an operation and print the response JSON; a dry run when no credentials are set"
        )
        {
            operation,
            pathArguments,
            query,
            filter,
            body,
            allPages,
            maxPages,
            dryRun,
            format,
            record,
            replay,
            retry,
            retryIn,
            maxRetries,
            revision,
            compact,
            baseUrl,
            apiKeyFile,
            timeout,
            allowInsecure,
            noBodyCheck,
            redis,
            redisTier,
            redisMargin,
            redisAccount,
            onRedisFailure,
        };
        command.SetAction(
            (parse, cancellationToken) =>
                Cli.GuardAsync(() =>
                {
                    RejectUnknownOptions(parse, pathArguments);
                    return new CallRun(
                        new CallArguments(
                            parse.GetValue(operation)!,
                            parse.GetValue(pathArguments) ?? [],
                            parse.GetValue(query) ?? [],
                            parse.GetValue(filter),
                            parse.GetValue(body),
                            parse.GetValue(allPages),
                            parse.GetValue(maxPages),
                            parse.GetValue(dryRun),
                            parse.GetResult(format) is { Implicit: false }
                                ? parse.GetValue(format) == "http"
                                    ? DryRunFormat.Http
                                    : DryRunFormat.Curl
                                : null,
                            parse.GetValue(record),
                            parse.GetValue(replay),
                            parse.GetValue(retry),
                            parse.GetValue(retryIn),
                            parse.GetValue(maxRetries),
                            parse.GetValue(revision),
                            parse.GetValue(compact),
                            parse.GetValue(baseUrl),
                            parse.GetValue(apiKeyFile),
                            parse.GetValue(timeout),
                            parse.GetValue(allowInsecure),
                            parse.GetValue(noBodyCheck),
                            new RedisArguments(
                                parse.GetValue(redis),
                                parse.GetValue(redisTier),
                                parse.GetValue(redisMargin),
                                parse.GetValue(redisAccount),
                                parse.GetValue(onRedisFailure)
                            )
                        )
                    ).RunAsync(cancellationToken);
                })
        );
        return command;
    }

    // The parser hands a token like --nope to PATH_ARGS, which takes any number of values; before a "--" such a
    // token is a mistyped option, not a path parameter.
    private static void RejectUnknownOptions(ParseResult parse, Argument<string[]> pathArguments)
    {
        var consumed = parse.GetResult(pathArguments)?.Tokens ?? [];
        var tokens = parse.Tokens;
        var doubleDash = tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        foreach (var token in consumed)
        {
            var index = tokens.ToList().FindIndex(t => ReferenceEquals(t, token));
            if (
                token.Value.Length > 1
                && token.Value[0] == '-'
                && (doubleDash < 0 || index < doubleDash)
            )
                throw new UsageException(
                    $"unknown option '{token.Value}' (see 'klaviyo call --help'; put -- before a path argument that starts with -)"
                );
        }
    }
}

/// <summary>What <c>klaviyo call</c> was asked to do, as typed.</summary>
internal sealed record CallArguments(
    string Operation,
    string[] PathArguments,
    string[] Query,
    string? Filter,
    string? Body,
    bool AllPages,
    int? MaxPages,
    bool DryRun,
    DryRunFormat? Format,
    string? Record,
    string? Replay,
    string? Retry,
    int? RetryIn,
    int? MaxRetries,
    string? Revision,
    bool Compact,
    string? BaseUrl,
    string? ApiKeyFile,
    double? Timeout,
    bool AllowInsecureCredentials,
    bool NoBodyCheck,
    RedisArguments Redis
);
