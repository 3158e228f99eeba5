// The journey starts the Api, the Ingest, ffmpeg, the panel and a browser: one test class at a time on a small machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
