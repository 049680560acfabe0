using System.Text.Json;

namespace Klaviyo.Cli;

/// <summary>
/// Runs <c>klaviyo bulk VERB</c>: reads the items, picks live or dry run (no credentials, or <c>--dry-run</c>),
/// runs <see cref="BulkPipeline"/> with progress on standard error, and prints the summary on standard output.
/// </summary>
/// <param name="job">The bulk operation.</param>
/// <param name="arguments">The command line.</param>
internal sealed class BulkRun(BulkJobEntry job, BulkArguments arguments)
{
    private readonly BulkArguments _a = arguments;

    /// <summary>Runs the pipeline; returns the exit code.</summary>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var bulk = Bulk();
        var credentials = Credentials.Read(Environment.GetEnvironmentVariable, _a.ApiKeyFile);
        var dry = _a.DryRun || !credentials.Any;
        if (!dry && _a.Format is not null)
            throw new UsageException(
                "--format sets how a dry run prints the requests, and these are sent: add --dry-run, or leave out --format"
            );
        if (dry && _a.Journal is not null)
            throw new UsageException(
                "a dry run creates no jobs, so it keeps no --journal (its made-up job ids would be taken as done)"
            );
        var input = new BulkInput(_a.File, job, Console.OpenStandardInput);
        await input.CheckAsync(cancellationToken);
        if (dry && !_a.DryRun)
            Console.Error.WriteLine(CallRun.NoCredentialsNotice);

        var options = Options(credentials);
        if (dry)
            options = options with
            {
                Client = Interpreter.DryRun(Console.Out, _a.Format ?? DryRunFormat.Curl),
            };
        var journal = _a.Journal is null ? null : BulkJournal.File(_a.Journal);
        var progress = new BulkProgress(Console.Error, input);

        BulkSummary summary;
        try
        {
            summary = await BulkPipeline.RunAsync(
                job,
                input.ReadAsync(cancellationToken),
                options,
                bulk,
                journal,
                progress.Report,
                cancellationToken
            );
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"--journal: {e.Message}");
        }

        // A dry run's answers are made up: its requests are the output, not a summary that would look real.
        if (!dry)
        {
            await using var output = Console.OpenStandardOutput();
            await using (var writer = new Utf8JsonWriter(output, JsonOutput.Options(_a.Compact)))
                WriteSummary(writer, summary, input);
            await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
        }
        Console.Error.WriteLine(
            $"klaviyo: {summary.ItemsSubmitted} items in {summary.Jobs.Count} jobs, {summary.ItemsAccepted} accepted, "
                + $"{summary.Errors.Count} item errors, {summary.NotSubmitted.Sum(n => n.Count ?? 1)}{(summary.NotSubmitted.Exists(n => n.Count is null) ? "+" : "")} not sent"
                + (dry ? " (dry run, nothing was sent)" : "")
        );
        if (summary.Stopped is { } stopped)
        {
            Console.Error.WriteLine(
                "klaviyo: stopped: "
                    + BulkProgress.Safe(CommandLineTerms.Of(stopped.Message))
                    + (journal is null ? "" : $"; run again with --journal {_a.Journal} to resume")
            );
            return ExitCodes.For(stopped);
        }
        return dry || summary.Succeeded ? ExitCodes.Success : ExitCodes.ApiError;
    }

    private BulkOptions Bulk()
    {
        static TimeSpan Seconds(double? value, string name, double fallback)
        {
            var seconds = value ?? fallback;
            if (!(seconds >= 0) || seconds > 86_400)
                throw new UsageException($"{name} takes seconds from 0 to 86400, not {seconds}");
            return TimeSpan.FromSeconds(seconds);
        }
        if (_a.MaxItems is < 1)
            throw new UsageException("--max-items takes a number above 0");
        if (_a.Jobs is < 1 or > 64)
            throw new UsageException("--jobs takes a number from 1 to 64");
        var defaults = BulkPolling.Default;
        return new BulkOptions
        {
            MaxItems = _a.MaxItems,
            MaxJobsInFlight = _a.Jobs ?? BulkOptions.Default.MaxJobsInFlight,
            SkipBodyCheck = _a.NoBodyCheck,
            Attributes = JsonObject(_a.Attributes, "--attributes"),
            Relationships = JsonObject(_a.Relationships, "--relationships"),
            Polling = defaults with
            {
                InitialDelay = Seconds(
                    _a.PollDelay,
                    "--poll-delay",
                    defaults.InitialDelay.TotalSeconds
                ),
                MaxDelay = Seconds(
                    _a.PollMaxDelay,
                    "--poll-max-delay",
                    defaults.MaxDelay.TotalSeconds
                ),
                MaxWait = _a.MaxWait is { } wait
                    ? Seconds(wait, "--max-wait", 0)
                    : defaults.MaxWait,
            },
        };
    }

    private static JsonElement? JsonObject(string? text, string name)
    {
        if (text is null)
            return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new UsageException($"{name} takes a JSON object, not {text}");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{name} is not valid JSON: {e.Message}");
        }
    }

    private KlaviyoOptions Options(Credentials credentials)
    {
        var options = credentials.ApplyTo(new KlaviyoOptions { Revision = _a.Revision });
        if (_a.BaseUrl is not null)
            options = BaseUrl.Apply(options, _a.BaseUrl);
        if (_a.Timeout is { } seconds)
        {
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
        var retries = _a.MaxRetries ?? options.RetryOptions.MaxRetries;
        if (retries < 0)
            throw new UsageException("--max-retries takes a number, 0 or more");
        return retries == 0
            ? options
            : options with
            {
                Retry = Retry.Exponential,
                RetryOptions = options.RetryOptions with { MaxRetries = retries },
            };
    }

    // Lines are the file's line numbers (from 1), as a person finds them; items are indexes from 0, as the library's.
    private static void WriteSummary(Utf8JsonWriter w, BulkSummary summary, BulkInput input)
    {
        w.WriteStartObject();
        w.WriteString("operation", summary.OperationId);
        w.WriteNumber("items_submitted", summary.ItemsSubmitted);
        w.WriteNumber("items_accepted", summary.ItemsAccepted);
        w.WriteStartArray("jobs");
        foreach (var j in summary.Jobs)
        {
            w.WriteStartObject();
            w.WriteNumber("job", j.Chunk + 1);
            w.WriteString("id", j.Id);
            w.WriteString("status", j.Status.ToString().ToLowerInvariant());
            w.WriteNumber("first_line", input.LineOf(j.FirstItem));
            w.WriteNumber("last_line", input.LineOf(j.FirstItem + j.ItemCount - 1));
            w.WriteNumber("items", j.ItemCount);
            foreach (
                var (name, value) in new[]
                {
                    ("total", j.Total),
                    ("completed", j.Completed),
                    ("failed", j.Failed),
                }
            )
                if (value is { } v)
                    w.WriteNumber(name, v);
            w.WriteBoolean("resumed", j.Resumed);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("errors");
        foreach (var e in summary.Errors)
        {
            w.WriteStartObject();
            if (e.Item is { } item)
            {
                w.WriteNumber("line", input.LineOf(item));
                w.WriteNumber("item", item);
            }
            w.WriteString("job_id", e.JobId);
            w.WriteString("code", e.Error.Code);
            w.WriteString("title", e.Error.Title);
            w.WriteString("detail", e.Error.Detail);
            w.WriteString("pointer", e.Error.SourcePointer);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("not_submitted");
        foreach (var n in summary.NotSubmitted)
        {
            w.WriteStartObject();
            w.WriteNumber("first_line", input.LineOf(n.FirstItem));
            if (n.Count is { } count)
                w.WriteNumber("items", count);
            w.WriteString("reason", n.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (summary.Stopped is { } stopped)
            w.WriteString("stopped", CommandLineTerms.Of(stopped.Message));
        w.WriteEndObject();
    }
}
