import { httpPeerModule } from './http-peer.js';

export const module = httpPeerModule('sgp32');
