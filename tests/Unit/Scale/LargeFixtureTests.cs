using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Klaviyo.Tests.Fixtures;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests.Scale;

/// <summary>
/// Ten thousand interactions recorded through <see cref="Interpreter.Record"/> over a stub, then replayed from 32
/// tasks at once: every task gets the answer recorded for each of its requests, and every interaction is played
/// exactly once (a further request for it finds nothing left to play).
/// </summary>
public class LargeFixtureTests
{
    private const int Interactions = 10_000;
    private const int Tasks = 32;

    private static readonly KlaviyoOptions Base = new() { ApiKey = "pk_scale_fixture_0123456789" };

    /// <summary>The request for <paramref name="key"/>: a GET of one profile or a POST to one list, each distinct.</summary>
    private static RequestOperation Request(int key) =>
        key % 4 == 3
            ? PathTemplate.Operation(
                HttpMethod.Post,
                "/api/lists/{id}/relationships/profiles",
                $"L{key}"
            ) with
            {
                Body = RequestBody.Json(
                    new { data = new[] { new { type = "profile", id = $"P{key}" } } }
                ),
            }
            : PathTemplate
                .Operation(HttpMethod.Get, "/api/profiles/{id}", $"P{key}")
                .WithQuery("fields[profile]", "email,first_name")
                .WithQuery("n", key.ToString(CultureInfo.InvariantCulture));

    /// <summary>The key a request was made from: the digits of its first path parameter.</summary>
    private static int KeyOf(KlaviyoRequest request)
    {
        var path = request.Path;
        var segment = path.Split('/')[3];
        return int.Parse(segment[1..], CultureInfo.InvariantCulture);
    }

    private static StubResponse Answer(string id) =>
        StubResponse.Status(
            200,
            JsonSerializer.Serialize(new { data = new { type = "answer", id } })
        );

    private static string AnswerId(Either<KlaviyoError, KlaviyoResponse> result) =>
        result.Match(
            r => r.Json.Map(j => j.GetProperty("data").GetProperty("id").GetString()!).IfNone("?"),
            e => throw new Xunit.Sdk.XunitException(e.ToString())
        );

    /// <summary>Records the requests for <paramref name="keys"/> keys, <paramref name="timesEach"/> times each, into a fixture at <paramref name="path"/>.</summary>
    private static async Task RecordAsync(string path, int keys, int timesEach)
    {
        var made = new ConcurrentDictionary<int, int>();
        var stub = Interpreter.Stub(request =>
        {
            var key = KeyOf(request);
            var nth = made.AddOrUpdate(key, 0, (_, n) => n + 1);
            return Answer($"{key}:{nth}");
        });
        await using (var recorder = Interpreter.Record(stub, path, RecordMode.All))
        {
            var options = Base with { Client = recorder };
            // Each key's recordings are made in order; keys are recorded side by side.
            await Parallel.ForEachAsync(
                Enumerable.Range(0, keys),
                new ParallelOptions { MaxDegreeOfParallelism = 4 },
                async (key, ct) =>
                {
                    for (var i = 0; i < timesEach; i++)
                        Assert.Equal(
                            $"{key}:{i}",
                            AnswerId(await Request(key).SendAsync(options, ct))
                        );
                }
            );
            Assert.Equal(keys * timesEach, recorder.Count);
        }
        Assert.Equal(keys * timesEach, stub.Calls.Count);
    }

    /// <summary>Runs <paramref name="work"/> split over <see cref="Tasks"/> tasks started together.</summary>
    private static async Task<(int Task, int Key, string Answer)[]> ReplayAsync(
        KlaviyoOptions options,
        int[] work
    )
    {
        var answers = new ConcurrentQueue<(int, int, string)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable
            .Range(0, Tasks)
            .Select(t =>
                Task.Run(async () =>
                {
                    await start.Task;
                    for (var i = t; i < work.Length; i += Tasks)
                    {
                        var key = work[i];
                        answers.Enqueue((t, key, AnswerId(await Request(key).SendAsync(options))));
                    }
                })
            )
            .ToArray();
        start.SetResult();
        await Task.WhenAll(tasks);
        return answers.ToArray();
    }

    private static int[] Shuffled(IEnumerable<int> items, int seed)
    {
        var array = items.ToArray();
        new Random(seed).Shuffle(array);
        return array;
    }

    [Fact]
    public async Task Ten_thousand_distinct_interactions_replay_from_32_tasks_each_exactly_once()
    {
        using var folder = new TempFolder();
        var path = folder.File("ten-thousand.json");
        await RecordAsync(path, keys: Interactions, timesEach: 1);

        using var replay = Interpreter.Replay(path);
        Assert.Equal(Interactions, replay.Count);
        var options = Base with { Client = replay };
        var answers = await ReplayAsync(options, Shuffled(Enumerable.Range(0, Interactions), 17));

        Assert.Equal(Interactions, answers.Length);
        Assert.All(answers, a => Assert.Equal($"{a.Key}:0", a.Answer));
        Assert.Equal(Interactions, answers.Select(a => a.Key).Distinct().Count());
        Assert.Equal(Tasks, answers.Select(a => a.Task).Distinct().Count());

        // Every interaction was used up: asking again finds none left, for each one of them.
        var again = await Task.WhenAll(
            Enumerable.Range(0, Interactions).Select(key => Request(key).SendAsync(options))
        );
        Assert.All(
            again,
            r =>
                Assert.Contains(
                    "already played",
                    Assert.IsType<KlaviyoError.FixtureMiss>(r.Match(_ => null!, e => e)).Message
                )
        );
    }

    [Fact]
    public async Task Ten_thousand_interactions_of_repeated_requests_are_each_played_once_and_in_recorded_order()
    {
        // 500 requests recorded 20 times each: 32 tasks race for the same keys, so the play cursors are contended.
        const int keys = 500;
        const int timesEach = Interactions / keys;
        using var folder = new TempFolder();
        var path = folder.File("repeats.json");
        await RecordAsync(path, keys, timesEach);

        using var replay = Interpreter.Replay(path);
        Assert.Equal(Interactions, replay.Count);
        var options = Base with { Client = replay };
        var work = Shuffled(
            Enumerable.Range(0, keys).SelectMany(k => Enumerable.Repeat(k, timesEach)),
            29
        );
        var answers = await ReplayAsync(options, work);

        // Each recorded answer went to exactly one request for its key.
        Assert.Equal(Interactions, answers.Length);
        Assert.All(answers, a => Assert.StartsWith($"{a.Key}:", a.Answer));
        Assert.Equal(
            Enumerable
                .Range(0, keys)
                .SelectMany(k => Enumerable.Range(0, timesEach).Select(i => $"{k}:{i}"))
                .Order(StringComparer.Ordinal),
            answers.Select(a => a.Answer).Order(StringComparer.Ordinal)
        );
        // Within one task, later requests for a key get later recordings (the cursor only moves forward).
        foreach (var group in answers.GroupBy(a => (a.Task, a.Key)))
        {
            var order = group
                .Select(a => int.Parse(a.Answer.Split(':')[1], CultureInfo.InvariantCulture))
                .ToArray();
            Assert.Equal(order.Order(), order);
        }
        var extra = await Request(keys / 2).SendAsync(options);
        Assert.Contains(
            $"already played ({timesEach} recorded)",
            Assert.IsType<KlaviyoError.FixtureMiss>(extra.Match(_ => null!, e => e)).Message
        );
    }
}
