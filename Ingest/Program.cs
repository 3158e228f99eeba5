using Nio.Ingest.Hosting;

IngestHost.Build(args).Run();
