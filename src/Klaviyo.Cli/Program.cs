return await Klaviyo.Cli.Cli.RunAsync(args);
