using System.Collections.Concurrent;
using System.Text.Json;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.BulkJobs.BulkTestItems;

namespace Klaviyo.Tests.BulkJobs;

/// <summary><c>Bulk.Jobs</c> under every interpreter: stub, dry run, live (Kestrel), record and replay.</summary>
public class BulkOperationTests
{
    private const string Key = "pk_bulk_test_0123456789abcdef";
    private const string Jobs = "/api/profile-bulk-import-jobs";

    private static KlaviyoOptions WithClock(KlaviyoOptions options, TimeProvider clock) =>
        options with
        {
            ApiKey = Key,
            ClientOptions = options.ClientOptions with { TimeProvider = clock },
        };

    private static BulkOptions Options(int maxItems, int inFlight = 1) =>
        new()
        {
            MaxItems = maxItems,
            MaxJobsInFlight = inFlight,
            Polling = Polling,
        };

    /// <summary>A stub of the bulk profile import: jobs queued, processing, then complete; "bad" items fail, listed two per page.</summary>
    private static StubInterpreter ImportStub()
    {
        var jobs = new ConcurrentDictionary<string, (int Count, int[] Bad)>();
        var polls = new ConcurrentDictionary<string, int>();
        var created = 0;
        return Interpreter
            .Stub()
            .When(HttpMethod.Post, Jobs)
            .RespondWith(request =>
            {
                var id = $"job-{Interlocked.Increment(ref created)}";
                var items = ((RequestContent.Json)request.Content)
                    .Value.GetProperty("data")
                    .GetProperty("attributes")
                    .GetProperty("profiles")
                    .GetProperty("data")
                    .EnumerateArray()
                    .ToList();
                var bad = items
                    .Select((p, i) => (p, i))
                    .Where(x =>
                        x.p.GetProperty("attributes")
                            .GetProperty("email")
                            .GetString()!
                            .StartsWith("bad")
                    )
                    .Select(x => x.i)
                    .ToArray();
                jobs[id] = (items.Count, bad);
                return StubResponse.Status(
                    202,
                    JobDocument(id, new { status = "queued", total_count = items.Count })
                );
            })
            .When(HttpMethod.Get, Jobs + "/{id}")
            .RespondWith(request =>
            {
                var id = request.Path.Split('/')[^1];
                var n = polls.AddOrUpdate(id, 1, (_, p) => p + 1);
                var (count, bad) = jobs[id];
                var status = n switch
                {
                    1 => "queued",
                    2 => "processing",
                    _ => "complete",
                };
                var failed = status == "complete" ? bad.Length : 0;
                return StubResponse.Status(
                    200,
                    JobDocument(
                        id,
                        new
                        {
                            status,
                            total_count = count,
                            completed_count = count - failed,
                            failed_count = failed,
                        }
                    )
                );
            })
            .When(HttpMethod.Get, Jobs + "/{id}/import-errors")
            .RespondWith(request =>
            {
                var id = request.Path.Split('/')[^2];
                var from = request
                    .Query.Find(q => q.Name == "page[cursor]")
                    .Map(q => int.Parse(q.Value))
                    .IfNone(0);
                var bad = jobs[id].Bad;
                var page = bad.Skip(from)
                    .Take(2)
                    .Select(i => new
                    {
                        type = "import-error",
                        id = $"{id}-{i}",
                        attributes = new
                        {
                            code = "invalid",
                            title = "Invalid email",
                            detail = "bad address",
                            source = new
                            {
                                pointer = $"/data/attributes/profiles/data/{i}/attributes/email",
                            },
                        },
                    });
                var next =
                    from + 2 < bad.Length
                        ? $"https://a.klaviyo.com{Jobs}/{id}/import-errors?page%5Bcursor%5D={from + 2}"
                        : null;
                return StubResponse.Status(
                    200,
                    JsonSerializer.Serialize(new { data = page, links = new { self = "x", next } })
                );
            });
    }

    [Fact]
    public async Task Under_the_stub_jobs_are_created_polled_with_backoff_until_complete_and_their_errors_read_by_item()
    {
        var clock = new ObservableClock();
        var stub = ImportStub();
        var options = WithClock(new KlaviyoOptions { Client = stub }, clock);
        var items = Profiles(10, bad: [1, 4, 7, 8]);

        var summary = Right(
            await clock.DriveAsync(
                Bulk.Jobs("bulk_import_profiles", items, Options(5)).RunAsync(options)
            )
        );

        Assert.Equal(["job-1", "job-2"], summary.Jobs.Map(j => j.Id).AsEnumerable());
        Assert.All(summary.Jobs, j => Assert.Equal(BulkJobStatus.Complete, j.Status));
        Assert.Equal([3, 3], summary.Jobs.Map(j => j.Polls).AsEnumerable());
        // Exponential: 1 s, 2 s, 4 s before the three polls of each job.
        Assert.Equal([1, 2, 4, 1, 2, 4], clock.Waits.Select(w => (int)w.TotalSeconds));
        Assert.Equal([1, 4, 7, 8], summary.Errors.Map(e => e.Item).AsEnumerable());
        Assert.Equal(
            ["job-1", "job-1", "job-2", "job-2"],
            summary.Errors.Map(e => e.JobId).AsEnumerable()
        );
        Assert.All(summary.Errors, e => Assert.Equal("invalid", e.Error.Code));
        Assert.Equal(10, summary.ItemsSubmitted);
        Assert.Equal(6, summary.ItemsAccepted);
        Assert.False(summary.Succeeded);
        // job-1 has 2 bad items (one page), job-2 has 2 (one page): 2 creates + 6 polls + 2 error pages.
        Assert.Equal(10, stub.Calls.Count);
    }

    [Fact]
    public async Task The_errors_endpoint_is_followed_through_every_page()
    {
        var clock = new ObservableClock();
        var stub = ImportStub();
        var options = WithClock(new KlaviyoOptions { Client = stub }, clock);

        var summary = Right(
            await clock.DriveAsync(
                Bulk.Jobs("bulk_import_profiles", Profiles(9, bad: [0, 2, 3, 5, 8]), Options(9))
                    .RunAsync(options)
            )
        );

        Assert.Equal([0, 2, 3, 5, 8], summary.Errors.Map(e => e.Item).AsEnumerable());
        var pages = stub.Calls.Where(c => c.Path.EndsWith("/import-errors")).ToList();
        Assert.Equal(3, pages.Count);
        // The first page asks for the largest page the operation allows; the next ones follow links.next as given.
        Assert.Contains(("page[size]", "100"), pages[0].Query);
    }

    [Fact]
    public async Task A_job_that_never_completes_is_given_up_after_the_maximum_wait_and_reported_unfinished()
    {
        var clock = new ObservableClock();
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Post, Jobs)
            .Respond(
                202,
                """{"data":{"type":"profile-bulk-import-job","id":"slow","attributes":{"status":"queued"}}}"""
            )
            .When(HttpMethod.Get, Jobs + "/slow")
            .Respond(
                200,
                """{"data":{"type":"profile-bulk-import-job","id":"slow","attributes":{"status":"processing"}}}"""
            );
        var options = WithClock(new KlaviyoOptions { Client = stub }, clock);
        var bulk = Options(10) with
        {
            Polling = new BulkPolling(
                TimeSpan.FromSeconds(1),
                2,
                TimeSpan.FromSeconds(4),
                TimeSpan.FromSeconds(15)
            ),
        };

        var summary = Right(
            await clock.DriveAsync(
                Bulk.Jobs("bulk_import_profiles", Profiles(3), bulk).RunAsync(options)
            )
        );

        // 1 + 2 + 4 + 4 + 4 = 15 s; one more 4 s wait would pass 15 s.
        Assert.Equal([1, 2, 4, 4, 4], clock.Waits.Select(w => (int)w.TotalSeconds));
        var job = Assert.Single(summary.Unfinished);
        Assert.Equal(BulkJobStatus.Processing, job.Status);
        Assert.Equal(TimeSpan.FromSeconds(15), job.Waited);
        Assert.Equal(0, summary.ItemsAccepted);
        Assert.DoesNotContain(stub.Calls, c => c.Path.EndsWith("/import-errors"));
    }

    [Fact]
    public async Task An_operation_without_jobs_to_follow_is_accepted_on_202_and_never_polled()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Post, "/api/profile-subscription-bulk-create-jobs")
            .Respond(202);
        var options = new KlaviyoOptions { ApiKey = Key, Client = stub };

        var summary = Right(
            await Bulk.Jobs("bulk_subscribe_profiles", Profiles(2500), new BulkOptions())
                .RunAsync(options)
        );

        Assert.Equal([1000, 1000, 500], summary.Jobs.Map(j => j.ItemCount).AsEnumerable());
        Assert.All(summary.Jobs, j => Assert.Equal(BulkJobStatus.Accepted, j.Status));
        Assert.Equal(2500, summary.ItemsAccepted);
        Assert.True(summary.Succeeded);
        Assert.Equal(3, stub.Calls.Count);
    }

    [Fact]
    public async Task A_refused_job_stops_the_program_with_Klaviyos_error()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Post, Jobs)
            .Respond(
                400,
                """{"errors":[{"id":"e","status":400,"code":"invalid","title":"Invalid input."}]}"""
            );
        var options = new KlaviyoOptions { ApiKey = Key, Client = stub };

        var result = await Bulk.Jobs("bulk_import_profiles", Profiles(3), Options(1))
            .RunAsync(options);

        var error = Assert.IsType<KlaviyoError.Api>(result.Match(_ => null!, e => e));
        Assert.Equal(400, error.Response.StatusCode);
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task Catalog_jobs_report_their_errors_in_the_job_itself()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Post, "/api/catalog-item-bulk-create-jobs")
            .Respond(
                202,
                """{"data":{"type":"catalog-item-bulk-create-job","id":"c1","attributes":{"status":"processing"}}}"""
            )
            .When(HttpMethod.Get, "/api/catalog-item-bulk-create-jobs/c1")
            .Respond(
                200,
                """{"data":{"type":"catalog-item-bulk-create-job","id":"c1","attributes":{"status":"complete","total_count":3,"completed_count":2,"failed_count":1,"errors":[{"id":"x","code":"duplicate","title":"Duplicate","detail":"exists","source":{"pointer":"/data/attributes/items/data/2/id"}}]}}}"""
            );
        var options = new KlaviyoOptions
        {
            ApiKey = Key,
            Client = stub,
            ClientOptions = new ClientOptions { TimeProvider = new ObservableClock() },
        };
        var items = Enumerable
            .Range(0, 3)
            .Select(i =>
                JsonSerializer.SerializeToElement(
                    new
                    {
                        type = "catalog-item",
                        attributes = new
                        {
                            external_id = $"sku-{i}",
                            title = "t",
                            description = "d",
                            url = "https://example.com",
                        },
                    }
                )
            );
        var clock = (ObservableClock)options.ClientOptions.TimeProvider;

        var summary = Right(
            await clock.DriveAsync(
                Bulk.Jobs("bulk_create_catalog_items", items, Options(100)).RunAsync(options)
            )
        );

        var error = Assert.Single(summary.Errors);
        Assert.Equal(2, error.Item);
        Assert.Equal("duplicate", error.Error.Code);
        Assert.Equal(2, summary.ItemsAccepted);
    }

    [Fact]
    public async Task A_dry_run_prints_each_job_it_would_create_and_finishes_without_waiting()
    {
        var clock = new ObservableClock();
        var printed = new StringWriter();
        var options = WithClock(new KlaviyoOptions { Client = Interpreter.DryRun(printed) }, clock);

        var summary = Right(
            await Bulk.Jobs("bulk_import_profiles", Profiles(5), Options(2)).RunAsync(options)
        );

        Assert.Equal(3, summary.Jobs.Count);
        Assert.All(summary.Jobs, j => Assert.Equal(BulkJobStatus.Complete, j.Status));
        Assert.Empty(clock.Waits);
        var text = printed.ToString();
        Assert.Equal(3, CountOf(text, "--request 'POST'"));
        Assert.Contains("p4@example.com", text);
        Assert.Contains("profile-bulk-import-job", text);
        Assert.DoesNotContain(Key, text);
    }

    [Fact]
    public async Task Live_against_a_Kestrel_stand_in_jobs_go_queued_processing_complete_and_errors_name_their_items()
    {
        await using var server = await BulkJobServer.StartAsync();
        var clock = new ObservableClock();
        var options = WithClock(server.Options(), clock);

        var summary = Right(
            await clock.DriveAsync(
                Bulk.Jobs(
                        "bulk_import_profiles",
                        Profiles(7, bad: [2, 3, 6]),
                        Options(4, inFlight: 2)
                    )
                    .RunAsync(options)
            )
        );

        Assert.Equal([4, 3], summary.Jobs.Map(j => j.ItemCount).AsEnumerable());
        Assert.All(summary.Jobs, j => Assert.Equal(BulkJobStatus.Complete, j.Status));
        Assert.All(summary.Jobs, j => Assert.Equal(3, j.Polls));
        Assert.Equal([2, 3, 6], summary.Errors.Map(e => e.Item).OrderBy(i => i).AsEnumerable());
        Assert.Equal(4, summary.ItemsAccepted);
        Assert.Equal(2, server.Creates.Count);
        Assert.All(
            server.Creates,
            c => Assert.Equal($"Klaviyo-API-Key {Key}", c.Header("authorization"))
        );
        Assert.Equal(6, server.Polls.Count);
    }

    [Fact]
    public async Task A_recorded_pipeline_replays_from_its_fixture_with_the_server_gone()
    {
        var fixture = Path.Combine(Path.GetTempPath(), $"klaviyo-bulk-{Guid.NewGuid():N}.json");
        try
        {
            BulkSummary recorded;
            KlaviyoOptions replayOptions;
            var program = Bulk.Jobs("bulk_import_profiles", Profiles(6, bad: [1, 5]), Options(3));
            await using (var server = await BulkJobServer.StartAsync())
            {
                var clock = new ObservableClock();
                await using var recorder = Interpreter.Record(
                    Interpreter.Live(),
                    fixture,
                    RecordMode.All
                );
                var options = WithClock(server.Options() with { Client = recorder }, clock);
                recorded = Right(await clock.DriveAsync(program.RunAsync(options)));
                replayOptions = options;
            }

            var replayClock = new ObservableClock();
            var replay = WithClock(
                replayOptions with
                {
                    Client = Interpreter.Replay(fixture),
                },
                replayClock
            );
            var replayed = Right(await replayClock.DriveAsync(program.RunAsync(replay)));

            Assert.Equal(
                recorded.Jobs.Map(j => (j.Id, j.Status, j.Polls)),
                replayed.Jobs.Map(j => (j.Id, j.Status, j.Polls))
            );
            Assert.Equal([1, 5], replayed.Errors.Map(e => e.Item).AsEnumerable());
            Assert.DoesNotContain(Key, File.ReadAllText(fixture));
        }
        finally
        {
            File.Delete(fixture);
        }
    }

    [Fact]
    public void A_polling_delay_grows_by_the_factor_up_to_the_cap()
    {
        var polling = new BulkPolling(
            TimeSpan.FromSeconds(1),
            2,
            TimeSpan.FromSeconds(10),
            TimeSpan.FromHours(1)
        );

        Assert.Equal(
            [1, 2, 4, 8, 10, 10],
            Enumerable.Range(0, 6).Select(i => polling.Delay(i).TotalSeconds)
        );
        Assert.Equal(
            TimeSpan.FromSeconds(3),
            (polling with { Factor = double.NaN, InitialDelay = TimeSpan.FromSeconds(3) }).Delay(5)
        );
        Assert.Equal(TimeSpan.FromSeconds(10), polling.Delay(int.MaxValue));
    }

    [Fact]
    public void An_unknown_operation_is_refused_when_the_program_is_described()
    {
        var e = Assert.Throws<ArgumentException>(() => Bulk.Jobs("get_profiles", Profiles(1)));
        Assert.Contains("bulk_import_profiles", e.Message);
    }

    [Fact]
    public async Task The_dry_run_answers_a_job_read_back_as_complete()
    {
        var printed = new StringWriter();
        var options = new KlaviyoOptions { ApiKey = Key, Client = Interpreter.DryRun(printed) };

        var response = Right(await Profiles_GetJob("job-1").SendAsync(options));

        var attributes = response
            .Json.Map(j => j.GetProperty("data").GetProperty("attributes"))
            .IfNone(default(JsonElement));
        Assert.Equal("complete", attributes.GetProperty("status").GetString());
    }

    private static RequestOperation Profiles_GetJob(string id) =>
        Klaviyo.Profiles.GetBulkImportProfilesJob(id);

    private static string JobDocument(string id, object attributes) =>
        JsonSerializer.Serialize(
            new
            {
                data = new
                {
                    type = "profile-bulk-import-job",
                    id,
                    attributes,
                },
            }
        );

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "").Length) / part.Length;
}
