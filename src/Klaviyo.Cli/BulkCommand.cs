using System.CommandLine;

namespace Klaviyo.Cli;

/// <summary>
/// <c>klaviyo bulk VERB --file FILE [options]</c>: runs a bulk job pipeline (split the items into jobs within the
/// operation's limits, create them, poll them until done, read per-item errors) and prints a summary; progress goes
/// to standard error, one line per job event.
/// </summary>
internal static class BulkCommand
{
    /// <summary>The command, with one subcommand per verb (see <see cref="BulkVerbs"/>).</summary>
    public static Command Create()
    {
        var command = new Command(
            "bulk",
            "Run Klaviyo bulk jobs from a JSON Lines file: split into jobs within the limits, create, poll, read per-item errors; a dry run when no credentials are set"
        );
        foreach (var (verb, operationId) in BulkVerbs.All)
            command.Subcommands.Add(Verb(verb, operationId));
        return command;
    }

    private static Command Verb(string verb, string operationId)
    {
        var job = OperationCatalog
            .FindBulkJob(operationId)
            .IfNone(() =>
                throw new InvalidOperationException($"{operationId} is not a bulk operation")
            );
        var file = new Option<string>("--file", "-i")
        {
            Description =
                "The items, one JSON object per line (JSON Lines), or - for standard input. A line without 'type' gets "
                + (job.ItemType is null ? "none" : $"'{job.ItemType}'")
                + "; a line without 'attributes', 'id' or 'relationships' is taken as the attributes",
            HelpName = "FILE|-",
            Required = true,
        };
        var journal = new Option<string>("--journal")
        {
            Description =
                "Record each job in FILE (created, done) and resume from it: jobs done are skipped, jobs created are polled, none is created twice",
            HelpName = "FILE",
        };
        var attributes = new Option<string>("--attributes")
        {
            Description =
                "More attributes of every job, a JSON object, e.g. '{\"historical_import\":true}'",
            HelpName = "JSON",
        };
        var relationships = new Option<string>("--relationships")
        {
            Description =
                "Relationships of every job, a JSON object, e.g. '{\"list\":{\"data\":{\"type\":\"list\",\"id\":\"Y6nRLr\"}}}'",
            HelpName = "JSON",
        };
        var maxItems = NumberOptions.Whole("--max-items", "a whole number of items");
        maxItems.Description = $"Items per job, below the operation's {job.ItemLimit}";
        maxItems.HelpName = "N";
        var jobs = NumberOptions.Whole("--jobs", "a whole number of jobs");
        jobs.Description = "Jobs created and polled at once (default 4)";
        jobs.HelpName = "N";
        var pollDelay = NumberOptions.Seconds("--poll-delay");
        pollDelay.Description =
            "Seconds before the first poll of a job; each next wait doubles (default 1)";
        pollDelay.HelpName = "SECONDS";
        var pollMaxDelay = NumberOptions.Seconds("--poll-max-delay");
        pollMaxDelay.Description = "The longest wait between two polls, in seconds (default 30)";
        pollMaxDelay.HelpName = "SECONDS";
        var maxWait = NumberOptions.Seconds("--max-wait");
        maxWait.Description =
            "Stop waiting for a job after this many seconds of waits (default 3600); --journal resumes it";
        maxWait.HelpName = "SECONDS";
        var dryRun = new Option<bool>("--dry-run", "-n")
        {
            Description =
                "Print the requests (secrets masked) and send nothing; the default when no credentials are set",
        };
        var format = new Option<string>("--format")
        {
            Description = "How a dry run prints the requests",
            DefaultValueFactory = _ => "curl",
        };
        format.AcceptOnlyFromAmong("curl", "http");
        var maxRetries = NumberOptions.Whole("--max-retries", "a whole number of retries");
        maxRetries.Description =
            "Retries of a failed request with exponential backoff (429, 5xx, and transport failures where safe); default 3, 0 for none";
        maxRetries.HelpName = "N";
        var revision = new Option<string>("--revision")
        {
            Description = $"The API revision header (default {OperationCatalog.Revision})",
            HelpName = "R",
        };
        var compact = new Option<bool>("--compact", "-c")
        {
            Description = "Print the summary on one line",
        };
        var baseUrl = new Option<string>("--base-url")
        {
            Description = "Send to another server instead of https://a.klaviyo.com",
            HelpName = "URL",
        };
        var apiKeyFile = new Option<string>("--api-key-file")
        {
            Description =
                $"Read the private API key from FILE (else {Credentials.ApiKeyVariable}; {Credentials.AccessTokenVariable} is read too)",
            HelpName = "FILE",
        };
        var noBodyCheck = BodyCheckOption.Create();
        var timeout = NumberOptions.Seconds("--timeout");
        timeout.Description = "Seconds to wait for each response (default 60)";
        timeout.HelpName = "SECONDS";

        var limits =
            $"{job.ItemLimit} items"
            + (job.MaxItems is null ? " (default)" : "")
            + $", {job.ByteLimit} bytes"
            + (job.MaxBytes is null ? " (default)" : "")
            + " per job";
        var command = new Command(verb, $"{operationId}: {limits}")
        {
            file,
            journal,
            attributes,
            relationships,
            maxItems,
            jobs,
            pollDelay,
            pollMaxDelay,
            maxWait,
            dryRun,
            format,
            maxRetries,
            revision,
            compact,
            baseUrl,
            apiKeyFile,
            timeout,
            noBodyCheck,
        };
        command.SetAction(
            (parse, cancellationToken) =>
                Cli.GuardAsync(() =>
                    new BulkRun(
                        job,
                        new BulkArguments(
                            parse.GetValue(file)!,
                            parse.GetValue(journal),
                            parse.GetValue(attributes),
                            parse.GetValue(relationships),
                            parse.GetValue(maxItems),
                            parse.GetValue(jobs),
                            parse.GetValue(pollDelay),
                            parse.GetValue(pollMaxDelay),
                            parse.GetValue(maxWait),
                            parse.GetValue(dryRun),
                            parse.GetResult(format) is { Implicit: false }
                                ? parse.GetValue(format) == "http"
                                    ? DryRunFormat.Http
                                    : DryRunFormat.Curl
                                : null,
                            parse.GetValue(maxRetries),
                            parse.GetValue(revision),
                            parse.GetValue(compact),
                            parse.GetValue(baseUrl),
                            parse.GetValue(apiKeyFile),
                            parse.GetValue(timeout),
                            parse.GetValue(noBodyCheck)
                        )
                    ).RunAsync(cancellationToken)
                )
        );
        return command;
    }
}

/// <summary>What <c>klaviyo bulk VERB</c> was asked to do, as typed.</summary>
internal sealed record BulkArguments(
    string File,
    string? Journal,
    string? Attributes,
    string? Relationships,
    int? MaxItems,
    int? Jobs,
    double? PollDelay,
    double? PollMaxDelay,
    double? MaxWait,
    bool DryRun,
    DryRunFormat? Format,
    int? MaxRetries,
    string? Revision,
    bool Compact,
    string? BaseUrl,
    string? ApiKeyFile,
    double? Timeout,
    bool NoBodyCheck
);
