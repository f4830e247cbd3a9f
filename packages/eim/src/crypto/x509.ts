// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API
// loaded before it: every module of the eIM takes x509 from here.
import 'reflect-metadata';
export * from '@peculiar/x509';
