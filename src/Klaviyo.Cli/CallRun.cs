using System.Text.Json;

namespace Klaviyo.Cli;

/// <summary>
/// Runs <c>klaviyo call</c>: builds the operation, picks the interpreter (replay, dry run, record around live, or
/// live), sends, and prints the response or the error.
/// </summary>
/// <param name="arguments">The command line.</param>
internal sealed class CallRun(CallArguments arguments)
{
    private readonly CallArguments _a = arguments;

    /// <summary>The notice on standard error when a dry run happens because no credentials were found.</summary>
    public const string NoCredentialsNotice =
        "klaviyo: no credentials (set KLAVIYO_API_KEY or KLAVIYO_ACCESS_TOKEN, or give --api-key-file): dry run, nothing was sent";

    /// <summary>Runs the call; returns the exit code.</summary>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        CheckCombinations();
        var entry = OperationLookup.Find(_a.Operation);
        var query = CallRequest.Query(_a.Query, _a.Filter);
        JsonElement? body = _a.Body is null
            ? null
            : BodyInput.Read(_a.Body, Console.OpenStandardInput);
        var built = CallRequest.Build(entry, _a.PathArguments, query, body);
        var operation = _a.NoBodyCheck ? built.WithoutBodyCheck() : built;
        if (_a.AllPages && !entry.Paginated)
            throw new UsageException($"{entry.OperationId} does not page; leave out --all-pages");
        foreach (var warning in CallRequest.UnknownParameterWarnings(entry, query))
            Console.Error.WriteLine("klaviyo: " + TerminalText.Escape(warning));

        var credentials = Credentials.Read(Environment.GetEnvironmentVariable, _a.ApiKeyFile);
        var options = Options(credentials);
        var redis = RedisLimiting.Settings(_a.Redis, Environment.GetEnvironmentVariable);

        if (_a.Replay is not null)
        {
            using var replay = Fixture(() => Interpreter.Replay(_a.Replay), _a.Replay);
            return await SendAsync(operation, options with { Client = replay }, cancellationToken);
        }

        var implicitDryRun = operation.SendCredentials && !credentials.Any;
        if (!_a.DryRun && !implicitDryRun && _a.Format is not null)
            throw new UsageException(
                "--format sets how a dry run prints the request, and this call is sent: add --dry-run, or leave out --format"
            );
        if (_a.DryRun || implicitDryRun)
        {
            if (_a.Record is not null)
                throw new UsageException(
                    "--record sends live requests: set KLAVIYO_API_KEY or KLAVIYO_ACCESS_TOKEN, or give --api-key-file"
                );
            if (!_a.DryRun)
                Console.Error.WriteLine(NoCredentialsNotice);
            // The dry run prints the request; its made-up answer is not printed (it would only look real).
            var dry = Interpreter.DryRun(Console.Out, _a.Format ?? DryRunFormat.Curl);
            var result = await operation.SendAsync(
                options with
                {
                    Client = dry,
                },
                cancellationToken
            );
            return result.Match(_ => ExitCodes.Success, Report);
        }

        // Live from here on: pace through Redis when asked, sharing the account's quota with other jobs.
        using var limiter = redis is { } shared ? RedisLimiting.Create(shared) : null;
        if (limiter is not null)
            options = options with
            {
                ClientOptions = options.ClientOptions with { RateLimiter = limiter },
            };
        if (_a.Record is not null)
        {
            // RecordMode.All: --record always sends and rewrites the file; disposing saves it.
            await using var recorder = Fixture(
                () => Interpreter.Record(Interpreter.Default, _a.Record, RecordMode.All),
                _a.Record
            );
            return await SendAsync(
                operation,
                options with
                {
                    Client = recorder,
                },
                cancellationToken
            );
        }
        return await SendAsync(operation, options, cancellationToken);
    }

    private async Task<int> SendAsync(
        RequestOperation operation,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    )
    {
        if (_a.AllPages)
        {
            try
            {
                await using var output = Console.OpenStandardOutput();
                var written = await AllPages.WriteAsync(
                    operation,
                    options,
                    _a.MaxPages,
                    output,
                    _a.Compact,
                    PageProgress.ForConsole(),
                    cancellationToken
                );
                if (written.MorePages)
                    Console.Error.WriteLine(
                        $"klaviyo: stopped after {written.Pages} pages (--max-pages {_a.MaxPages}); more pages remain"
                    );
                return ExitCodes.Success;
            }
            catch (KlaviyoException e)
            {
                return Report(e.Error);
            }
        }
        var result = await operation.SendAsync(options, cancellationToken);
        return result.Match(
            response =>
            {
                Console.Out.Write(JsonOutput.Body(response.Body, _a.Compact));
                Console.Out.Flush();
                return ExitCodes.Success;
            },
            Report
        );
    }

    // One line for the person, then the error document Klaviyo sent, if any; never a secret. The server's words are
    // escaped (TerminalText): a JSON document by the JSON writer, a text body onto one line of its own.
    private int Report(KlaviyoError error)
    {
        if (error is KlaviyoError.FixtureMiss miss)
            error = miss with { Advice = "record the fixture again with --record" };
        Console.Error.WriteLine(
            "klaviyo: "
                + TerminalText.Escape(CommandLineTerms.Of(error.Message))
                + (error.Attempts > 1 ? $" (after {error.Attempts} attempts)" : "")
        );
        // The server's error document, through the same redaction as everything else printed: it may echo a key.
        if (error is KlaviyoError.Api api)
        {
            var body = api.Response.Redact().Body;
            Console.Error.Write(
                body is ResponseBody.Text { Value.Length: > 0 } text
                    ? TerminalText.Escape(text.Value) + "\n"
                    : JsonOutput.Body(body, _a.Compact)
            );
        }
        Console.Error.Flush();
        return ExitCodes.For(error);
    }

    private KlaviyoOptions Options(Credentials credentials)
    {
        var options = credentials.ApplyTo(new KlaviyoOptions { Revision = _a.Revision });
        if (_a.BaseUrl is not null)
            options = BaseUrl.Apply(options, _a.BaseUrl);
        if (_a.AllowInsecureCredentials)
            options = options with
            {
                ClientOptions = options.ClientOptions with { AllowInsecureCredentials = true },
            };
        if (_a.Timeout is { } seconds)
        {
            // The runtime's timers stop at 2^32 - 2 ms (about 49.7 days).
            const double longest = (uint.MaxValue - 1) / 1000.0;
            if (!(seconds > 0) || seconds > longest)
                throw new UsageException(
                    $"--timeout takes a number of seconds above 0 and at most {longest:0} (49.7 days), not {seconds}"
                );
            options = options with
            {
                ClientOptions = options.ClientOptions with
                {
                    Timeout = TimeSpan.FromSeconds(seconds),
                },
            };
        }
        if (_a.Retry is not null)
        {
            var retryOptions = options.RetryOptions;
            if (_a.MaxRetries is { } max)
                retryOptions = retryOptions with { MaxRetries = max };
            if (_a.RetryIn is { } ms)
                retryOptions = retryOptions with { RetryIn = TimeSpan.FromMilliseconds(ms) };
            options = options with
            {
                Retry = _a.Retry == "linear" ? Retry.Linear : Retry.Exponential,
                RetryOptions = retryOptions,
            };
        }
        return options;
    }

    private void CheckCombinations()
    {
        void Fail(string message) => throw new UsageException(message);
        if (_a.Record is not null && _a.Replay is not null)
            Fail("give --record or --replay, not both");
        if (_a.DryRun && (_a.Record is not null || _a.Replay is not null))
            Fail("--dry-run sends nothing, so it cannot --record or --replay");
        if (_a.Retry is null && (_a.RetryIn is not null || _a.MaxRetries is not null))
            Fail("--retry-in and --max-retries need --retry linear or --retry exponential");
        if (_a.RetryIn is not null && _a.Retry != "linear")
            Fail(
                "--retry-in sets the wait of --retry linear; exponential waits grow by themselves"
            );
        if (_a.RetryIn is < 0)
            Fail("--retry-in takes milliseconds, 0 or more");
        if (_a.MaxRetries is < 0)
            Fail("--max-retries takes a number, 0 or more");
        if (_a.MaxPages is not null && !_a.AllPages)
            Fail("--max-pages goes with --all-pages");
        if (_a.MaxPages is <= 0)
            Fail("--max-pages takes a number above 0");
        if (_a.Redis.Connection is not null && (_a.DryRun || _a.Replay is not null))
            Fail("--redis paces requests that are sent; a dry run or --replay sends none");
    }

    private static FixtureInterpreter Fixture(Func<FixtureInterpreter> create, string path)
    {
        try
        {
            return create();
        }
        catch (FileNotFoundException)
        {
            throw new UsageException(
                $"fixture '{path}' does not exist; record it first with --record"
            );
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"fixture '{path}' cannot be read: {e.Message}");
        }
    }
}
