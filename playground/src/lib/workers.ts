// The page's workers, one client each, started on first use.
import ServiceWorker from "../workers/service.worker?worker";
import SettleWorker from "../workers/settle.worker?worker";
import type { ServiceApi } from "../workers/service.worker";
import type { SettleApi } from "../workers/settle.worker";
import { WorkerClient } from "./rpc";

export const serviceClient = new WorkerClient<ServiceApi>(() => new ServiceWorker({ name: "pcmh-language-service" }));
export const settleClient = new WorkerClient<SettleApi>(() => new SettleWorker({ name: "pcmh-settlement" }));
