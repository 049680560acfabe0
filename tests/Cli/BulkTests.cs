using System.Text.Json;
using Klaviyo.Cli;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary><c>klaviyo bulk</c> as a process against a Kestrel stand-in of Klaviyo's bulk-job endpoints.</summary>
public class BulkTests
{
    private const string Key = "pk_cli_bulk_0123456789abcdef";

    // Fast polling: the stand-in completes a job on its third poll, whatever the time.
    private static readonly string[] Fast = ["--poll-delay", "0.01", "--poll-max-delay", "0.02"];

    private static string Lines(params string[] emails) =>
        string.Join("\n", emails.Select(e => $$"""{"email":"{{e}}"}""")) + "\n";

    private static string[] Args(BulkJobServer server, params string[] more) =>
        [.. more, "--base-url", server.Server.BaseUrl, .. Fast];

    [Fact]
    public async Task Imports_profiles_from_JSON_lines_and_prints_progress_and_a_summary()
    {
        using var temp = new TempFolder();
        var file = temp.File("profiles.jsonl");
        File.WriteAllText(file, Lines("a@example.com", "b@example.com", "c@example.com"));
        await using var server = await BulkJobServer.StartAsync(
            new BulkJobServer { JobIds = n => $"JOB{n}" }
        );

        var result = await CliProcess.RunAsync(
            Args(
                server,
                "bulk",
                "import-profiles",
                "--file",
                file,
                "--max-items",
                "2",
                "--jobs",
                "1"
            ),
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        using var summary = JsonDocument.Parse(result.Stdout);
        var root = summary.RootElement;
        Assert.Equal("bulk_import_profiles", root.GetProperty("operation").GetString());
        Assert.Equal(3, root.GetProperty("items_accepted").GetInt32());
        Assert.Equal(
            ["complete", "complete"],
            root.GetProperty("jobs")
                .EnumerateArray()
                .Select(j => j.GetProperty("status").GetString())
        );
        var stderr = result.Stderr.Split('\n');
        Assert.Contains("klaviyo: job 1 (lines 1-2): submitted, id JOB1, queued", stderr);
        Assert.Contains("klaviyo: job 1: processing", stderr);
        Assert.Contains("klaviyo: job 1: complete, 2 items, 0 failed", stderr);
        Assert.Contains("klaviyo: job 2 (line 3): submitted, id JOB2, queued", stderr);
        var body = JsonDocument.Parse(server.Creates[0].BodyText).RootElement;
        var profile = body.GetProperty("data")
            .GetProperty("attributes")
            .GetProperty("profiles")
            .GetProperty("data")[0];
        Assert.Equal("profile", profile.GetProperty("type").GetString());
        Assert.Equal(
            "a@example.com",
            profile.GetProperty("attributes").GetProperty("email").GetString()
        );
        Assert.All(
            server.Creates,
            c => Assert.Equal($"Klaviyo-API-Key {Key}", c.Header("authorization"))
        );
    }

    [Fact]
    public async Task Per_item_errors_exit_1_and_name_the_line_of_the_item()
    {
        using var temp = new TempFolder();
        var file = temp.File("profiles.jsonl");
        // A blank line: line numbers are the file's, item indexes skip it.
        File.WriteAllText(
            file,
            Lines("a@example.com") + "\n" + Lines("bad@example.com", "c@example.com")
        );
        await using var server = await BulkJobServer.StartAsync();

        var result = await CliProcess.RunAsync(
            Args(server, "bulk", "import-profiles", "--file", file),
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 1, result.ToString());
        using var summary = JsonDocument.Parse(result.Stdout);
        var error = Assert.Single(summary.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal(1, error.GetProperty("item").GetInt32());
        Assert.Equal("invalid", error.GetProperty("code").GetString());
        Assert.Equal(2, summary.RootElement.GetProperty("items_accepted").GetInt32());
        Assert.Contains("klaviyo: job 1: complete, 3 items, 1 failed, 1 item error", result.Stderr);
    }

    [Fact]
    public async Task Without_credentials_it_is_a_dry_run_printing_the_jobs_it_would_create()
    {
        var result = await CliProcess.RunAsync(
            ["bulk", "import-profiles", "--file", "-", "--max-items", "2"],
            stdin: Lines("a@example.com", "b@example.com", "c@example.com")
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(CallRun.NoCredentialsNotice, result.Stderr);
        Assert.Equal(2, result.Stdout.Split("--request 'POST'").Length - 1);
        Assert.Contains("https://a.klaviyo.com/api/profile-bulk-import-jobs", result.Stdout);
        Assert.Contains("c@example.com", result.Stdout);
        Assert.Contains("(dry run, nothing was sent)", result.Stderr);
    }

    [Fact]
    public async Task A_stopped_run_resumes_from_its_journal_without_creating_finished_jobs_again()
    {
        using var temp = new TempFolder();
        var file = temp.File("profiles.jsonl");
        var journal = temp.File("import.journal.json");
        File.WriteAllText(
            file,
            Lines([.. Enumerable.Range(0, 5).Select(i => $"p{i}@example.com")])
        );
        string[] Run(BulkJobServer server) =>
            Args(
                server,
                "bulk",
                "import-profiles",
                "--file",
                file,
                "--max-items",
                "2",
                "--jobs",
                "1",
                "--journal",
                journal,
                "--max-retries",
                "0"
            );

        CliResult first;
        await using (
            var failing = await BulkJobServer.StartAsync(
                new BulkJobServer { CreateStatus = n => n == 2 ? 503 : null }
            )
        )
            first = await CliProcess.RunAsync(Run(failing), CliProcess.WithKey(Key));

        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.Contains("klaviyo: stopped: Klaviyo answered 503", first.Stderr);
        Assert.Contains($"run again with --journal {journal} to resume", first.Stderr);
        Assert.DoesNotContain(Key, File.ReadAllText(journal));

        await using var server = await BulkJobServer.StartAsync();
        var second = await CliProcess.RunAsync(Run(server), CliProcess.WithKey(Key));

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(2, server.Created); // lines 3-4 and 5; lines 1-2 were done
        using var summary = JsonDocument.Parse(second.Stdout);
        Assert.Equal(
            [true, false, false],
            summary
                .RootElement.GetProperty("jobs")
                .EnumerateArray()
                .Select(j => j.GetProperty("resumed").GetBoolean())
        );
        Assert.Equal(5, summary.RootElement.GetProperty("items_accepted").GetInt32());
        Assert.Contains("klaviyo: job 1 (lines 1-2): already complete (journal)", second.Stderr);
    }

    [Fact]
    public async Task Control_characters_from_the_network_are_escaped_in_progress_lines()
    {
        using var temp = new TempFolder();
        var file = temp.File("profiles.jsonl");
        File.WriteAllText(file, Lines("a@example.com"));
        await using var server = await BulkJobServer.StartAsync(
            new BulkJobServer { JobIds = _ => "evil\u001b[2J\rjob" }
        );

        var result = await CliProcess.RunAsync(
            Args(server, "bulk", "import-profiles", "--file", file),
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain('\u001b', result.Stderr);
        Assert.Contains("id evil\\u001b[2J\\rjob, queued", result.Stderr);
    }

    [Fact]
    public async Task Subscribe_sends_the_jobs_relationships_and_reports_accepted_jobs()
    {
        await using var server = await BulkJobServer.StartAsync();

        var result = await CliProcess.RunAsync(
            Args(
                server,
                "bulk",
                "subscribe",
                "--file",
                "-",
                "--relationships",
                """{"list":{"data":{"type":"list","id":"L1"}}}"""
            ),
            CliProcess.WithKey(Key),
            // Subscriptions are required by the job's schema (bodies are checked before sending).
            stdin: string.Concat(
                new[] { "a@example.com", "b@example.com" }.Select(e =>
                    "{\"email\":\""
                    + e
                    + "\",\"subscriptions\":{\"email\":{\"marketing\":{\"consent\":\"SUBSCRIBED\"}}}}"
                    + "\n"
                )
            )
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("klaviyo: job 1 (lines 1-2): accepted (2 items)", result.Stderr);
        var data = JsonDocument
            .Parse(Assert.Single(server.Creates).BodyText)
            .RootElement.GetProperty("data");
        Assert.Equal("profile-subscription-bulk-create-job", data.GetProperty("type").GetString());
        Assert.Equal(
            "L1",
            data.GetProperty("relationships")
                .GetProperty("list")
                .GetProperty("data")
                .GetProperty("id")
                .GetString()
        );
        Assert.Empty(server.Polls);
    }

    [Fact]
    public async Task Events_lines_without_a_type_are_wrapped_as_event_resources()
    {
        await using var server = await BulkJobServer.StartAsync();

        var result = await CliProcess.RunAsync(
            Args(server, "bulk", "create-events", "--file", "-"),
            CliProcess.WithKey(Key),
            stdin: """{"attributes":{"profile":{"data":{"type":"profile","attributes":{"email":"a@example.com"}}},"events":{"data":[{"type":"event","attributes":{"properties":{},"metric":{"data":{"type":"metric","attributes":{"name":"Ordered"}}}}}]}}}"""
                + "\n"
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        var item = JsonDocument
            .Parse(Assert.Single(server.Creates).BodyText)
            .RootElement.GetProperty("data")
            .GetProperty("attributes")
            .GetProperty("events-bulk-create")
            .GetProperty("data")[0];
        Assert.Equal("event-bulk-create", item.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_line_that_is_not_JSON_exits_2_before_anything_is_sent()
    {
        using var temp = new TempFolder();
        var file = temp.File("profiles.jsonl");
        File.WriteAllText(file, Lines("a@example.com") + "{nope\n");
        await using var server = await BulkJobServer.StartAsync();

        var result = await CliProcess.RunAsync(
            Args(server, "bulk", "import-profiles", "--file", file),
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("line 2 of", result.Stderr);
        Assert.Equal(0, server.Server.Count);
    }

    [Fact]
    public async Task A_dry_run_refuses_a_journal()
    {
        var result = await CliProcess.RunAsync(
            ["bulk", "import-profiles", "--file", "-", "--journal", "j.json", "--dry-run"],
            stdin: Lines("a@example.com")
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--journal", result.Stderr);
    }

    [Fact]
    public void Every_verb_runs_a_bulk_operation_and_every_bulk_operation_but_the_single_record_one_has_a_verb()
    {
        foreach (var (verb, operationId) in BulkVerbs.All)
            Assert.True(OperationCatalog.FindBulkJob(operationId).IsSome, verb);
        var covered = BulkVerbs.All.Select(v => v.OperationId).ToHashSet();
        Assert.Equal(
            ["create_data_source_record"],
            OperationCatalog.BulkJobs.Select(j => j.OperationId).Where(id => !covered.Contains(id))
        );
        Assert.Equal(BulkVerbs.All.Count, BulkVerbs.All.Select(v => v.Verb).Distinct().Count());
    }

    [Fact]
    public void The_docs_limits_table_names_each_operations_verb()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Klaviyo.sln")))
            dir = dir.Parent;
        var rows = File.ReadAllLines(Path.Combine(dir.FullName, "docs", "bulk-jobs.md"))
            .Where(l => l.StartsWith("| `") && l.Count(c => c == '|') == 8)
            .Select(l => l.Split('|').Select(c => c.Trim().Trim('`')).ToArray())
            .ToDictionary(c => c[1], c => c[2]);

        foreach (var (verb, operationId) in BulkVerbs.All)
            Assert.Equal(verb, rows[operationId]);
    }
}
