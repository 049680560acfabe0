using System.Text;
using LanguageExt;

namespace Klaviyo.Benchmarks;

/// <summary>Prints bytes allocated per call for each stage of a send, to see where allocations go.</summary>
public static class AllocationProbe
{
    public static int Run()
    {
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_probe",
            Protocol = "http",
            Host = "127.0.0.1",
            Port = 8080,
        };
        var operation = new RequestOperation(HttpMethod.Get, "/api/profiles");
        var request = RequestBuilder
            .Build(operation, options)
            .Match(r => r, e => throw new InvalidOperationException(e.ToString()));
        var body = Encoding.UTF8.GetBytes(
            "{\"data\":["
                + string.Join(
                    ",",
                    Enumerable
                        .Range(0, 8)
                        .Select(i =>
                            $"{{\"type\":\"profile\",\"id\":\"{i}\",\"attributes\":{{\"email\":\"p{i}@example.com\",\"first_name\":\"Ada\",\"created\":\"2022-11-08T00:00:00+00:00\"}}}}"
                        )
                )
                + "]}"
        );
        var raw = new RawResponse(
            200,
            LanguageExt.Prelude.Seq(("Content-Type", "application/vnd.api+json"), ("Date", "x")),
            body
        );
        Report("build", () => RequestBuilder.Build(operation, options));
        Report(
            "classify",
            () => ResponseClassifier.Classify(raw, SystemTextJsonCodec.Default, request.Secrets)
        );
        return 0;
    }

    private static void Report(string name, Action action)
    {
        for (var i = 0; i < 1000; i++)
            action();
        const int n = 10_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
            action();
        Console.WriteLine(
            $"{name}: {(GC.GetAllocatedBytesForCurrentThread() - before) / n} B/call"
        );
    }
}
